export * from './legacy-notification-routing';
export * from './legacy-routing.options';
export * from './parity';
export * from './parity-checker';
export * from './parity-report.query';
export { GetParityReportHandler } from './parity-report.handler';
export * from './legacy-notification-routing.module';
