import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Server } from 'socket.io';
import type { OutboxRelay } from './outbox-relay';

/** Prometheus metrics of the live pipeline (plus the process defaults), served at GET /metrics. */
export function createLiveMetrics(io: Server, relay: OutboxRelay) {
	const registry = new Registry();
	collectDefaultMetrics({ register: registry, prefix: 'cirrus_' });
	new Gauge({
		name: 'cirrus_live_sockets',
		help: 'Socket.IO connections open on this node',
		registers: [registry],
		collect() {
			this.set(io.engine.clientsCount);
		}
	});
	new Gauge({
		name: 'cirrus_relay_lag_ms',
		help: 'Commit-to-emit delay of the last event the outbox relay emitted',
		registers: [registry],
		collect() {
			this.set(relay.stats.lastLagMs);
		}
	});
	new Gauge({
		name: 'cirrus_relay_listening',
		help: '1 while the relay LISTEN connection is up (else it polls the outbox every second)',
		registers: [registry],
		collect() {
			this.set(relay.stats.listening ? 1 : 0);
		}
	});
	new Counter({
		name: 'cirrus_relay_events_total',
		help: 'Outbox events relayed by this node (rate() gives events per second)',
		registers: [registry],
		collect() {
			this.reset();
			this.inc(relay.stats.relayedTotal);
		}
	});
	return { contentType: registry.contentType, render: () => registry.metrics() };
}
