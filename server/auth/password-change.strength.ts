import { ZxcvbnFactory, type ZxcvbnResult } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';
import { passwordWeakness } from '../modules/access/password-token.service';

/** zxcvbn scores 0 (guessable in moments) to 4 (very unguessable); 3 resists an offline attack on a slow hash. */
export const MIN_PASSWORD_SCORE = 3;
export const SCORE_LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

// zxcvbn-ts ships translation keys only; these are the English sentences its feedback names.
const translations = {
	warnings: {
		straightRow: 'Straight rows of keys on your keyboard are easy to guess.',
		keyPattern: 'Short keyboard patterns are easy to guess.',
		simpleRepeat: 'Repeated characters like "aaa" are easy to guess.',
		extendedRepeat: 'Repeated patterns like "abcabcabc" are easy to guess.',
		sequences: 'Common character sequences like "abc" are easy to guess.',
		recentYears: 'Recent years are easy to guess.',
		dates: 'Dates are easy to guess.',
		topTen: 'This is a heavily used password.',
		topHundred: 'This is a frequently used password.',
		common: 'This is a commonly used password.',
		similarToCommon: 'This is similar to a commonly used password.',
		wordByItself: 'Single words are easy to guess.',
		namesByThemselves: 'Single names or surnames are easy to guess.',
		commonNames: 'Common names and surnames are easy to guess.',
		userInputs: 'There should not be any personal or page-related data.',
		pwned: 'Your password was exposed by a data breach on the Internet.'
	},
	suggestions: {
		l33t: 'Avoid predictable letter substitutions like "@" for "a".',
		reverseWords: 'Avoid reversed spellings of common words.',
		allUppercase: 'Capitalize some, but not all letters.',
		capitalization: 'Capitalize more than the first letter.',
		dates: 'Avoid dates and years that are associated with you.',
		recentYears: 'Avoid recent years.',
		associatedYears: 'Avoid years that are associated with you.',
		sequences: 'Avoid common character sequences.',
		repeated: 'Avoid repeated words and characters.',
		longerKeyboardPattern: 'Use longer keyboard patterns and change typing direction multiple times.',
		anotherWord: 'Add more words that are less common.',
		useWords: 'Use multiple words, but avoid common phrases.',
		noNeed: 'You can create strong passwords without using symbols, numbers, or uppercase letters.',
		pwned: 'If you use this password elsewhere, you should change it.'
	},
	timeEstimation: {
		ltSecond: 'less than a second',
		second: '{base} second',
		seconds: '{base} seconds',
		minute: '{base} minute',
		minutes: '{base} minutes',
		hour: '{base} hour',
		hours: '{base} hours',
		day: '{base} day',
		days: '{base} days',
		month: '{base} month',
		months: '{base} months',
		year: '{base} year',
		years: '{base} years',
		centuries: 'centuries'
	}
};

let zxcvbn: ZxcvbnFactory | undefined;
function scorer(): ZxcvbnFactory {
	zxcvbn ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, translations, useLevenshteinDistance: true });
	return zxcvbn;
}

export interface PasswordStrength {
	/** 0-4, as zxcvbn scores it. */
	score: number;
	label: (typeof SCORE_LABELS)[number];
	acceptable: boolean;
	/** The first reason it is refused, or null. */
	problem: string | null;
	warning: string | null;
	suggestions: string[];
}

/**
 * The house rules (length, our common-password list, the email's local part) plus a zxcvbn
 * score of at least 3. The user's own email and name count as guessable words.
 */
export function passwordStrength(password: string, user: { email: string; name: string }): PasswordStrength {
	const houseRule = passwordWeakness(password, user.email);
	// zxcvbn's cost grows with length; the house rule already refuses anything over its maximum.
	const result: ZxcvbnResult = scorer().check(password.slice(0, 200), [user.email, user.email.split('@')[0], ...user.name.split(/\s+/), 'cirrus', 'console']);
	const score = result.score;
	const warning = result.feedback.warning || null;
	const problem =
		houseRule ??
		(score < MIN_PASSWORD_SCORE ? `This password is too easy to guess (${SCORE_LABELS[score].toLowerCase()}). ${warning ?? 'Add another word or two.'}` : null);
	return {
		score,
		label: SCORE_LABELS[score],
		acceptable: problem === null,
		problem,
		warning,
		suggestions: result.feedback.suggestions
	};
}
