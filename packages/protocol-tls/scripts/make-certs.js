// Test certificates made with Debian's openssl: a root CA (RSA), a server certificate (ECDSA P-256,
// with DNS, IP and e-mail alternative names and a fixed serial) and a client certificate (RSA),
// written as PEM files into a directory. Used by record-captures.js and the live test.
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

/** Runs openssl with `args` in `dir`; a missing openssl says how to get it. */
function openssl(dir, args) {
  try {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(
      `openssl ${args[0]} failed (apt-get install openssl): ${String(err.stderr || err.message).trim()}`,
    );
  }
}

/** Makes ca.pem, server.pem/server.key and client.pem/client.key in `dir`; returns their paths. */
function makeCerts(dir) {
  const f = (name) => path.join(dir, name);
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '3650',
    '-subj',
    '/C=FR/O=Wirebeat Test CA/CN=Wirebeat Test Root',
    '-set_serial',
    '1',
  ]);
  fs.writeFileSync(
    f('server.ext'),
    'subjectAltName=DNS:www.example.test,DNS:example.test,IP:127.0.0.1,email:admin@example.test\n' +
      'extendedKeyUsage=serverAuth\n',
  );
  openssl(dir, [
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/C=FR/ST=Ile-de-France/L=Paris/O=Wirebeat/OU=Tests/CN=www.example.test',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '0x1234ABCD5678',
    '-days',
    '825',
    '-sha256',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ]);
  fs.writeFileSync(
    f('client.ext'),
    'subjectAltName=email:client@example.test\nextendedKeyUsage=clientAuth\n',
  );
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'client.key',
    '-out',
    'client.csr',
    '-subj',
    '/C=FR/O=Wirebeat/CN=client one',
  ]);
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'client.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    '4242',
    '-days',
    '365',
    '-sha256',
    '-extfile',
    'client.ext',
    '-out',
    'client.pem',
  ]);
  return {
    ca: f('ca.pem'),
    serverCert: f('server.pem'),
    serverKey: f('server.key'),
    clientCert: f('client.pem'),
    clientKey: f('client.key'),
  };
}

module.exports = { makeCerts };
