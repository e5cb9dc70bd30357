// The cap binding is optional: these tests load the real one (it is built here) and simulate its
// absence with a module factory that throws, as require does when the native build failed.
describe('loadCap', () => {
  afterEach(() => jest.resetModules());

  it('loads the real binding and lists the loopback device', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadCap } = require('../src/sources/cap-loader') as typeof import('../src/sources/cap-loader');
      const names = loadCap()
        .Cap.deviceList()
        .map((d) => d.name);
      expect(names).toContain('lo');
      expect(names).toContain('any');
    });
  });

  it('explains in one line that live capture is unavailable when cap cannot load', () => {
    jest.doMock('cap', () => {
      throw new Error("Cannot find module 'cap'\nRequire stack:\n- somewhere");
    });
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { loadCap } = require('../src/sources/cap-loader') as typeof import('../src/sources/cap-loader');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { CaptureUnavailableError } = require('../src/errors') as typeof import('../src/errors');
      let err: unknown;
      try {
        loadCap();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CaptureUnavailableError);
      expect((err as Error).message).toBe(
        "live capture needs the optional package 'cap' (libpcap binding), which could not be loaded: Cannot find module 'cap'; reading files with -I still works",
      );
    });
  });
});
