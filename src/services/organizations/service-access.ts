// Trusted access: EnableAWSServiceAccess, DisableAWSServiceAccess and
// ListAWSServiceAccessForOrganization. Trusted access lets an integrated service work
// across the organization's accounts; it needs all features, and a service's
// delegated administrators need it (disabling it deregisters them).
import type { RequestContext } from '../service.ts';
import { delegatedAdministratorsOf, trustedServicesOf } from './delegation.ts';
import { constraintViolation } from './errors.ts';
import type { OrganizationRecord } from './records.ts';
import { POLICY_TYPES_NEEDING_SERVICE, requireIntegratedService } from './service-principals.ts';
import { changeOrganization, managedOrganization, page } from './shared.ts';

export function hasTrustedAccess(org: OrganizationRecord, servicePrincipal: string): boolean {
  return trustedServicesOf(org).some((service) => service.servicePrincipal === servicePrincipal);
}

export const serviceAccessHandlers = {
  /** Enabling a service that already has trusted access changes nothing (and keeps its date). */
  async EnableAWSServiceAccess(input: { ServicePrincipal: string }, context: RequestContext) {
    requireIntegratedService(input.ServicePrincipal);
    await changeOrganization(context, (org) => {
      if (org.featureSet !== 'ALL') throw constraintViolation('ORGANIZATION_NOT_IN_ALL_FEATURES_MODE');
      if (hasTrustedAccess(org, input.ServicePrincipal)) return;
      trustedServicesOf(org).push({ servicePrincipal: input.ServicePrincipal, dateEnabled: context.now.toISOString() });
    });
    return {};
  },

  /** A policy type that needs the service must be disabled first; the service's delegated administrators are deregistered. */
  async DisableAWSServiceAccess(input: { ServicePrincipal: string }, context: RequestContext) {
    requireIntegratedService(input.ServicePrincipal);
    await changeOrganization(context, (org) => {
      const typeInUse = org.enabledPolicyTypes.some((type) => POLICY_TYPES_NEEDING_SERVICE[type] === input.ServicePrincipal);
      if (typeInUse) throw constraintViolation('POLICY_TYPE_ENABLED_FOR_THIS_SERVICE');
      org.trustedServices = trustedServicesOf(org).filter((service) => service.servicePrincipal !== input.ServicePrincipal);
      org.delegatedAdministrators = delegatedAdministratorsOf(org).filter((admin) => admin.servicePrincipal !== input.ServicePrincipal);
    });
    return {};
  },

  async ListAWSServiceAccessForOrganization(input: { NextToken?: string; MaxResults?: number }, context: RequestContext) {
    const org = await managedOrganization(context);
    const { items, NextToken } = page(trustedServicesOf(org), input);
    return {
      EnabledServicePrincipals: items.map((service) => ({ ServicePrincipal: service.servicePrincipal, DateEnabled: new Date(service.dateEnabled) })),
      ...(NextToken ? { NextToken } : {}),
    };
  },
};
