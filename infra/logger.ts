// Structured JSON logging (winston) for the worker, activities and the CLI's non-TTY output.
import winston from 'winston';
import { loadConfig } from './config';

let root: winston.Logger | undefined;

export function logger(component: string): winston.Logger {
  root ??= winston.createLogger({
    level: loadConfig().logLevel,
    format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
  return root.child({ component });
}
