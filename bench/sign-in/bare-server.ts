// The baseline: Fastify with nothing added, answering GET / with the bytes read from standard
// input.   node dist/bench/sign-in/bare-server.js PORT CONTENT-TYPE < body
import Fastify from 'fastify';

const [port, contentType] = process.argv.slice(2);
const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const body = Buffer.concat(chunks);

const app = Fastify();
app.get('/', (_request, reply) => reply.type(contentType!).send(body));
await app.listen({ port: Number(port), host: '127.0.0.1' });
console.log('listening');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
