// Every service Bulwark speaks. A vendored model without a definition here still
// routes: its operations answer 501 Not Implemented, naming themselves.
import type { ServiceDefinition } from './service.ts';
import { iam } from './iam/index.ts';
import { kms } from './kms/index.ts';
import { organizations } from './organizations/index.ts';
import { cloudtrail } from './cloudtrail/index.ts';
import { sts } from './sts/index.ts';

export const SERVICES: readonly ServiceDefinition[] = [iam, kms, sts, cloudtrail, organizations];
