/** One shared clock for relative times ("5 minutes ago"), ticking while anything reads it. */
class Clock {
	#now = $state(new Date());
	#readers = 0;
	#timer: ReturnType<typeof setInterval> | undefined;

	get now(): Date {
		if ($effect.tracking()) {
			$effect(() => {
				if (this.#readers++ === 0) this.#timer = setInterval(() => (this.#now = new Date()), 15_000);
				return () => {
					if (--this.#readers === 0) clearInterval(this.#timer);
				};
			});
		}
		return this.#now;
	}
}

export const clock = new Clock();
