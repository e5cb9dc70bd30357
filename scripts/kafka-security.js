// The secured listeners of a test Kafka (scripts/kafka.js --secure): a CA made at start with
// openssl, server and client certificates it signs, and SASL users for PLAIN and SCRAM-SHA-256/512.
// Every node keeps PLAINTEXT (brokers, controllers and the tests' topic reader use it) and adds:
//
//   SSL             TLS; certificate for IP 127.0.0.1 and DNS localhost, signed by the CA
//   MTLS            TLS that requires a client certificate signed by the CA
//   NOSAN           TLS with a certificate that names only CN=wrong-host.invalid (no subjectAltName):
//                   host-name verification fails, chain verification passes
//   SASL_SSL        TLS (the SSL certificate) + SASL PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
//   SASL_PLAINTEXT  SASL PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 without TLS
//
// One user per mechanism (USERS), so that a client using the wrong mechanism fails: PLAIN users live
// in the listeners' JAAS config, SCRAM credentials are written at storage format time.
'use strict';

const fs = require('fs');
const path = require('path');

/** Listener name -> Kafka security protocol. */
const SECURE_LISTENERS = {
  SSL: 'SSL',
  MTLS: 'SSL',
  NOSAN: 'SSL',
  SASL_SSL: 'SASL_SSL',
  SASL_PLAINTEXT: 'SASL_PLAINTEXT',
};

/** SASL users, one per mechanism (names are JAAS option names: letters and digits only). */
const USERS = {
  PLAIN: { username: 'plainuser', password: 'plain-secret' },
  'SCRAM-SHA-256': { username: 'scram256user', password: 'scram256-secret' },
  'SCRAM-SHA-512': { username: 'scram512user', password: 'scram512-secret' },
};

/** Password of the encrypted server keys (Kafka's PEM key stores need an encrypted PKCS#8 key). */
const KEY_PASSWORD = 'wirebeat-key';
/** Passphrase of `client-encrypted.key`. */
const CLIENT_KEY_PASSPHRASE = 'wirebeat-client-key';

/**
 * Writes the CA, the server key stores and the client certificate into `dir` with `openssl(args)`;
 * returns the files' paths. EC P-256 keys: each is made in milliseconds.
 */
function makeCertificates(dir, openssl) {
  fs.mkdirSync(dir, { recursive: true });
  const f = (name) => path.join(dir, name);
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    ['req', '-x509', ...newKey, '-days', '2', '-subj', '/CN=wirebeat Kafka test CA'].concat([
      '-keyout',
      f('ca.key'),
      '-out',
      f('ca.crt'),
    ]),
  );
  // A certificate for `name` signed by the CA, with the extensions given (none: no subjectAltName).
  const issue = (name, cn, extensions) => {
    openssl(['req', ...newKey, '-subj', `/CN=${cn}`, '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`)]);
    const ext = extensions ? ['-extfile', f(`${name}.ext`)] : [];
    if (extensions) fs.writeFileSync(f(`${name}.ext`), `${extensions}\n`);
    openssl(
      ['x509', '-req', '-in', f(`${name}.csr`), '-CA', f('ca.crt'), '-CAkey', f('ca.key')].concat([
        '-CAcreateserial',
        '-days',
        '2',
        ...ext,
        '-out',
        f(`${name}.crt`),
      ]),
    );
  };
  // Kafka's PEM key store: an encrypted PKCS#8 key followed by the certificate.
  const keyStore = (name) => {
    openssl(
      ['pkcs8', '-topk8', '-in', f(`${name}.key`), '-v1', 'PBE-SHA1-3DES'].concat([
        '-passout',
        `pass:${KEY_PASSWORD}`,
        '-out',
        f(`${name}.enc`),
      ]),
    );
    fs.writeFileSync(
      f(`${name}.pem`),
      fs.readFileSync(f(`${name}.enc`), 'utf8') + fs.readFileSync(f(`${name}.crt`), 'utf8'),
    );
  };
  issue('server', 'localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  keyStore('server');
  issue('nosan', 'wrong-host.invalid', undefined);
  keyStore('nosan');
  issue('client', 'wirebeat-client', 'extendedKeyUsage=clientAuth');
  // The client key once more, encrypted, for clients' key passphrase settings.
  openssl(
    ['pkcs8', '-topk8', '-in', f('client.key'), '-v2', 'aes-256-cbc'].concat([
      '-passout',
      `pass:${CLIENT_KEY_PASSPHRASE}`,
      '-out',
      f('client-encrypted.key'),
    ]),
  );
  for (const name of fs.readdirSync(dir)) fs.chmodSync(f(name), 0o644);
  return {
    ca: f('ca.crt'),
    clientCertificate: f('client.crt'),
    clientKey: f('client.key'),
    clientKeyEncrypted: f('client-encrypted.key'),
    clientKeyPassphrase: CLIENT_KEY_PASSPHRASE,
    dir,
  };
}

/** server.properties lines for the secured listeners (their ports are in `node.listeners`). */
function listenerProperties(tlsDir) {
  const jaas = (listener) => {
    const plain = `user_${USERS.PLAIN.username}="${USERS.PLAIN.password}"`;
    const p = `listener.name.${listener.toLowerCase()}`;
    return [
      `${p}.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required ${plain};`,
      `${p}.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
      `${p}.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;`,
    ];
  };
  return [
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${path.join(tlsDir, 'server.pem')}`,
    `ssl.key.password=${KEY_PASSWORD}`,
    'listener.name.mtls.ssl.client.auth=required',
    'listener.name.mtls.ssl.truststore.type=PEM',
    `listener.name.mtls.ssl.truststore.location=${path.join(tlsDir, 'ca.crt')}`,
    `listener.name.nosan.ssl.keystore.location=${path.join(tlsDir, 'nosan.pem')}`,
    `sasl.enabled.mechanisms=${Object.keys(USERS).join(',')}`,
    ...jaas('SASL_SSL'),
    ...jaas('SASL_PLAINTEXT'),
  ];
}

/** `kafka-storage format` arguments that add the SCRAM users. */
function scramFormatArgs() {
  return Object.entries(USERS)
    .filter(([mechanism]) => mechanism.startsWith('SCRAM-'))
    .flatMap(([mechanism, u]) => ['--add-scram', `${mechanism}=[name=${u.username},password=${u.password}]`]);
}

module.exports = { SECURE_LISTENERS, USERS, makeCertificates, listenerProperties, scramFormatArgs };
