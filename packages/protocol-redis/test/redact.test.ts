// Passwords never reach an event: query and request text of every command that carries one.
import { PluginDriver } from '@wirebeat/testing';
import { REDACTED, redactArgs, redisProtocol } from '@wirebeat/protocol-redis';

/** A command as RESP (what clients send). */
const resp = (...args: string[]) =>
  `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');

const CASES: Array<[string[], string]> = [
  [['CONFIG', 'SET', 'requirepass', 'hunter2'], `CONFIG SET requirepass ${REDACTED}`],
  [
    ['config', 'set', 'maxmemory', '10mb', 'masterauth', 'hunter2'],
    `config set maxmemory 10mb masterauth ${REDACTED}`,
  ],
  [
    ['ACL', 'SETUSER', 'alice', 'on', '>hunter2', '~*', '+@all'],
    `ACL SETUSER alice on >${REDACTED} ~* +@all`,
  ],
  [['ACL', 'SETUSER', 'bob', '#5e884898da28047151d0e56f8dc6292773603d0d'], `ACL SETUSER bob #${REDACTED}`],
  [
    ['MIGRATE', 'h', '6379', '', '0', '5000', 'AUTH', 'hunter2', 'KEYS', 'a'],
    `MIGRATE h 6379  0 5000 AUTH ${REDACTED} KEYS a`,
  ],
  [
    ['MIGRATE', 'h', '6379', 'k', '0', '5000', 'AUTH2', 'admin', 'hunter2'],
    `MIGRATE h 6379 k 0 5000 AUTH2 admin ${REDACTED}`,
  ],
  [['AUTH', 'admin', 'hunter2'], `AUTH ${REDACTED} ${REDACTED}`],
  [['HELLO', '3', 'AUTH', 'admin', 'hunter2'], `HELLO 3 AUTH admin ${REDACTED}`],
  [['CONFIG', 'GET', 'requirepass'], 'CONFIG GET requirepass'],
];

describe('redis: passwords are redacted', () => {
  it.each(CASES)('%j', (args, query) => {
    expect(redactArgs(args).join(' ')).toBe(query);
    const driver = new PluginDriver(redisProtocol, { send_request: true });
    driver.data(0, resp(...args));
    driver.data(1, '+OK\r\n');
    driver.close();
    const event = driver.events[0].fields as { query: string; request: string };
    expect(event.query).toBe(query);
    expect(JSON.stringify(driver.events[0].fields)).not.toContain('hunter2');
    expect(JSON.stringify(driver.events[0].fields)).not.toContain('5e884898');
  });

  it('inline commands too', () => {
    const driver = new PluginDriver(redisProtocol, { send_request: true });
    driver.data(0, 'CONFIG SET requirepass hunter2\r\n');
    driver.data(1, '+OK\r\n');
    driver.close();
    expect(JSON.stringify(driver.events[0].fields)).not.toContain('hunter2');
  });
});
