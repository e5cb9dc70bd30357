// pgsql options: Packetbeat's defaults, and one clear error per bad option.
import { PgsqlConfigError, parsePgsqlConfig } from '@wirebeat/protocol-pgsql';

describe('pgsql options', () => {
  it("defaults: port 5432, Packetbeat's 10 rows of 1024 bytes, 1000 statements remembered", () => {
    expect(parsePgsqlConfig()).toMatchObject({
      ports: [5432],
      max_rows: 10,
      max_row_length: 1024,
      max_statements: 1000,
      send_request: false,
      send_response: false,
    });
  });

  it('a bad value or an unknown option is a PgsqlConfigError naming it', () => {
    expect(() => parsePgsqlConfig({ max_rows: 0 })).toThrow(PgsqlConfigError);
    expect(() => parsePgsqlConfig({ max_row_length: 'long' })).toThrow(/max_row_length/);
    expect(() => parsePgsqlConfig({ max_row: 3 })).toThrow(/max_row/);
  });
});
