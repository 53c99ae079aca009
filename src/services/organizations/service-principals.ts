// The AWS services that integrate with Organizations, by service principal: which can
// be given trusted access, which support delegated administrators and how many.
// From "AWS services that you can use with AWS Organizations" (Organizations User
// Guide); a service principal not listed here answers UNRECOGNIZED_SERVICE_PRINCIPAL.
import { invalidInput } from './errors.ts';

export interface IntegratedService {
  /** How many member accounts may be its delegated administrators; 0: it supports none. */
  maxDelegatedAdministrators: number;
}

const ONE_ADMINISTRATOR: IntegratedService = { maxDelegatedAdministrators: 1 };
const NO_ADMINISTRATOR: IntegratedService = { maxDelegatedAdministrators: 0 };

export const INTEGRATED_SERVICES: Readonly<Record<string, IntegratedService>> = {
  'access-analyzer.amazonaws.com': ONE_ADMINISTRATOR,
  'account.amazonaws.com': ONE_ADMINISTRATOR,
  'auditmanager.amazonaws.com': ONE_ADMINISTRATOR,
  'aws-artifact-account-sync.amazonaws.com': NO_ADMINISTRATOR,
  'backup.amazonaws.com': ONE_ADMINISTRATOR,
  // CloudTrail takes up to three (CloudTrail User Guide, "Organization delegated administrator").
  'cloudtrail.amazonaws.com': { maxDelegatedAdministrators: 3 },
  'compute-optimizer.amazonaws.com': ONE_ADMINISTRATOR,
  // AWS Config takes up to three delegated administrators.
  'config.amazonaws.com': { maxDelegatedAdministrators: 3 },
  'config-multiaccountsetup.amazonaws.com': { maxDelegatedAdministrators: 3 },
  'controltower.amazonaws.com': NO_ADMINISTRATOR,
  'cost-optimization-hub.bcm.amazonaws.com': ONE_ADMINISTRATOR,
  'detective.amazonaws.com': ONE_ADMINISTRATOR,
  'devops-guru.amazonaws.com': ONE_ADMINISTRATOR,
  'fms.amazonaws.com': ONE_ADMINISTRATOR,
  'guardduty.amazonaws.com': ONE_ADMINISTRATOR,
  'health.amazonaws.com': ONE_ADMINISTRATOR,
  'iam.amazonaws.com': ONE_ADMINISTRATOR,
  'inspector2.amazonaws.com': ONE_ADMINISTRATOR,
  'ipam.amazonaws.com': ONE_ADMINISTRATOR,
  'license-manager.amazonaws.com': ONE_ADMINISTRATOR,
  'macie.amazonaws.com': ONE_ADMINISTRATOR,
  // CloudFormation StackSets takes up to five delegated administrators.
  'member.org.stacksets.cloudformation.amazonaws.com': { maxDelegatedAdministrators: 5 },
  'networkmanager.amazonaws.com': ONE_ADMINISTRATOR,
  'ram.amazonaws.com': NO_ADMINISTRATOR,
  'reporting.trustedadvisor.amazonaws.com': ONE_ADMINISTRATOR,
  'resource-explorer-2.amazonaws.com': ONE_ADMINISTRATOR,
  'securityhub.amazonaws.com': ONE_ADMINISTRATOR,
  'securitylake.amazonaws.com': ONE_ADMINISTRATOR,
  'servicecatalog.amazonaws.com': ONE_ADMINISTRATOR,
  'servicequotas.amazonaws.com': NO_ADMINISTRATOR,
  'ssm.amazonaws.com': ONE_ADMINISTRATOR,
  'sso.amazonaws.com': ONE_ADMINISTRATOR,
  'storage-lens.s3.amazonaws.com': ONE_ADMINISTRATOR,
  'tagpolicies.tag.amazonaws.com': NO_ADMINISTRATOR,
};

/**
 * The policy types a service's trusted access is needed for: access cannot be
 * disabled while the type is enabled (POLICY_TYPE_ENABLED_FOR_THIS_SERVICE).
 */
export const POLICY_TYPES_NEEDING_SERVICE: Readonly<Record<string, string>> = {
  SECURITYHUB_POLICY: 'securityhub.amazonaws.com',
  INSPECTOR_POLICY: 'inspector2.amazonaws.com',
};

/** The integrated service a principal names; InvalidInputException UNRECOGNIZED_SERVICE_PRINCIPAL otherwise. */
export function requireIntegratedService(servicePrincipal: string): IntegratedService {
  const service = INTEGRATED_SERVICES[servicePrincipal];
  if (!service) throw invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', 'You specified a service principal that isn\'t recognized.');
  return service;
}
