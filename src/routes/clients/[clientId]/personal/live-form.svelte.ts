/**
 * A form over data that someone else may change while it is open. The newest server value is
 * kept in `current`; an untouched form follows it, a form with typing in it keeps the typing and
 * raises `stale` so the page can offer to load the other person's values.
 */
export class LiveForm<View, Form> {
	current: View = $state() as View;
	form: Form = $state() as Form;
	stale = $state(false);
	private baseline = $state('');

	constructor(
		initial: View,
		private readonly toForm: (view: View) => Form
	) {
		this.reset(initial);
	}

	get dirty(): boolean {
		return JSON.stringify(this.form) !== this.baseline;
	}

	/** A newer value from the server (a live event or a reload). */
	receive(view: View) {
		const incoming = JSON.stringify(this.toForm(view));
		this.current = view;
		if (!this.dirty) this.reset(view);
		else if (incoming !== this.baseline) this.stale = true;
	}

	/** After this user's own save, or when they choose the other person's values. */
	reset(view: View) {
		this.current = view;
		this.form = this.toForm(view);
		this.baseline = JSON.stringify(this.form);
		this.stale = false;
	}
}
