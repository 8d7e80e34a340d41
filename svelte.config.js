import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// tRPC posts JSON; SvelteKit's own check covers form posts, server/http/origin-check.ts covers the rest.
		csrf: { trustedOrigins: [] }
	}
};

export default config;
