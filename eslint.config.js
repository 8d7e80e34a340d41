import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

/** Browser code may import only types from server/: the real modules would leak into the bundle. */
const noServerImports = {
	'@typescript-eslint/no-restricted-imports': [
		'error',
		{
			patterns: [
				{
					regex: '(^|/)server(/|$)',
					allowTypeImports: true,
					message: 'Client code may import only types from server/ (use `import type`).'
				}
			]
		}
	]
};

export default ts.config(
	{ ignores: ['build*/', '.svelte-kit*/', 'node_modules/', '.data/', 'test-results*/', 'playwright-report/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			// No base path is configured, so plain hrefs are already resolved.
			'svelte/no-navigation-without-resolve': 'off',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{
		// Everything under src/ that can run in the browser.
		files: ['src/**/*.svelte', 'src/**/*.svelte.ts', 'src/lib/**/*.ts', 'src/routes/**/+page.ts', 'src/routes/**/+layout.ts'],
		rules: noServerImports
	}
);
