import type { ServiceName } from '../config';
import { kafka } from './kafka';
import { mongo } from './mongo';
import { s3 } from './s3';
import { smtp } from './smtp';
import type { LocalService } from './types';

export const SERVICES: Record<ServiceName, LocalService> = { kafka, mongo, s3, smtp };
export type { Backend, LocalService } from './types';
