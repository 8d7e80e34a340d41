/**
 * The baseline: a bare Socket.IO server (no auth, no database, no adapter) in its own process, as
 * the app runs in its own. Every socket joins one room on connection; a `broadcast` request emits
 * `count` events to it at `perSecond`, each stamped with its send time, then acks.
 * Run as `npx tsx bench/live/bare-server.ts <port>`.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2]);
const ROOM = 'bare';
let seq = 0;

interface BroadcastRequest {
	count: number;
	perSecond: number;
	/** Payloads cycled through, captured from the real pipeline so messages are the same size. */
	samples: { event: string; payload: unknown }[];
}

const httpServer = createServer((req, res) => {
	res.writeHead(req.url === '/ready' ? 200 : 404).end();
});
const io = new Server(httpServer, { serveClient: false });

io.on('connection', (socket) => {
	void socket.join(ROOM);
	socket.on('broadcast', async (request: BroadcastRequest, ack: (sent: number) => void) => {
		// Controller sockets leave the room so the count of receivers stays what the bench says.
		await socket.leave(ROOM);
		const interval = 1000 / request.perSecond;
		const started = performance.now();
		for (let index = 0; index < request.count; index++) {
			const wait = started + index * interval - performance.now();
			if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
			const sample = request.samples[index % request.samples.length];
			const sentAt = performance.timeOrigin + performance.now();
			// One seq for the whole run: the bench broadcasts in several slices and checks each socket's order across them.
			seq++;
			io.to(ROOM).emit('live', { room: ROOM, seq, event: sample.event, payload: sample.payload, committedAt: new Date(sentAt).toISOString(), sentAt });
		}
		ack(request.count);
	});
});

httpServer.listen(port, '127.0.0.1');
const stop = () => {
	io.close();
	process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
