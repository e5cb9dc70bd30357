// The MySQL options: Packetbeat's names and defaults, and a clear error naming a bad one.
import { MysqlConfigError, mysqlProtocol, parseMysqlConfig } from '@wirebeat/protocol-mysql';

describe('mysql options', () => {
  it('defaults as Packetbeat: port 3306, 10 rows of 1024 characters, statements kept an hour', () => {
    expect(mysqlProtocol.defaultPorts).toEqual([3306]);
    expect(parseMysqlConfig({})).toMatchObject({
      ports: [3306],
      max_rows: 10,
      max_row_length: 1024,
      statement_timeout: 3_600_000,
      send_request: false,
      send_response: false,
    });
    expect(parseMysqlConfig({ statement_timeout: '30m', max_rows: 3 })).toMatchObject({
      statement_timeout: 1_800_000,
      max_rows: 3,
    });
  });

  it('a bad or unknown option is one error naming it', () => {
    expect(() => parseMysqlConfig({ max_rows: -1 })).toThrow(MysqlConfigError);
    expect(() => parseMysqlConfig({ max_rows: -1 })).toThrow(/max_rows/);
    expect(() => parseMysqlConfig({ max_row: 3 })).toThrow(/max_row/);
  });
});
