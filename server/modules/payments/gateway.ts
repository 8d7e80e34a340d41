/**
 * A payment gateway as the ledger sees it. A driver starts a charge and later answers what
 * became of it; the ledger applies that answer once, whether it comes from the gateway's
 * callback or from our polling job (see settleGatewayEntry).
 */
export type ChargeOutcome =
	| { status: 'pending'; reference: string }
	| { status: 'succeeded'; reference: string }
	| { status: 'declined'; reference: string; reason: string };

export type SettledOutcome = { status: 'succeeded' } | { status: 'failed'; reason: string };

export interface ChargeRequest {
	amount: bigint;
	currency: string;
	/** Driver-specific payment method (a test card number; nothing for bank transfers). */
	method: Record<string, string>;
	/** Passed to the gateway so that our own retry of the same request is one charge there too. */
	idempotencyKey: string;
}

export interface GatewayDriver {
	/** Stored in ledger_entry.gateway. */
	readonly name: string;
	charge(request: ChargeRequest): Promise<ChargeOutcome>;
	/** Asks the gateway about a charge; null while it is still pending. */
	poll(reference: string): Promise<SettledOutcome | null>;
}
