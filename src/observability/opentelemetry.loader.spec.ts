import { metrics } from '@opentelemetry/api';
import { JambonzAuthConfigError } from '../jambonz-auth-config.error.js';
import { loadGlobalMeterProvider } from './opentelemetry.loader.js';

describe('loadGlobalMeterProvider', () => {
  it.each([undefined, null, {}, { metrics: false }, { metrics: {} }, { metrics: 'true' }])(
    'loads nothing for %j',
    async (options) => {
      let loads = 0;
      const importApi = () => {
        loads++;
        return Promise.reject(new Error('must not load'));
      };
      await expect(loadGlobalMeterProvider(options, importApi)).resolves.toBeUndefined();
      expect(loads).toBe(0);
    },
  );

  it("returns OpenTelemetry's global meter provider for metrics: true", async () => {
    await expect(loadGlobalMeterProvider({ metrics: true })).resolves.toBe(metrics.getMeterProvider());
  });

  it.each(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND'])(
    'stops the app, naming the package to install, when it is missing (%s)',
    async (code) => {
      const missing = Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code });
      const loading = loadGlobalMeterProvider({ metrics: true }, () => Promise.reject(missing));
      await expect(loading).rejects.toThrow(JambonzAuthConfigError);
      await expect(loading).rejects.toThrow(
        "options.metrics is true, which records through OpenTelemetry's global MeterProvider, but the package @opentelemetry/api is not installed: npm install @opentelemetry/api",
      );
    },
  );

  it('lets any other loading error through as it is', async () => {
    const broken = new SyntaxError('Unexpected token');
    await expect(loadGlobalMeterProvider({ metrics: true }, () => Promise.reject(broken))).rejects.toBe(broken);
  });
});
