import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Both overridable so parallel builds on one machine do not overwrite each other.
		adapter: adapter({ out: process.env.CIRRUS_BUILD_DIR ?? 'build' }),
		outDir: process.env.CIRRUS_KIT_DIR ?? '.svelte-kit',
		// tRPC posts JSON; SvelteKit's own check covers form posts, server/http/origin-check.ts covers the rest.
		csrf: { trustedOrigins: [] }
	}
};

export default config;
