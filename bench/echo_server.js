// Node's net echo server for the benchmark suite: node bench/echo_server.js [port]
// Listens on 127.0.0.1, prints "PORT <n>" once listening, echoes with c.pipe(c).
'use strict';
const net = require('net');

const server = net.createServer((c) => {
  c.on('error', () => {}); // a peer's reset must not end the benchmark
  c.pipe(c);
});
server.listen(Number(process.argv[2] || 0), '127.0.0.1', () => {
  process.stdout.write(`PORT ${server.address().port}\n`);
});
