// Organizational units and the tree: Create/Describe/Update/DeleteOrganizationalUnit,
// ListOrganizationalUnitsForParent, ListParents and ListChildren.
import type { RequestContext } from '../service.ts';
import { constraintViolation, duplicateUnit, unitNotEmpty, unitNotFound } from './errors.ts';
import { attachDefaultPolicies } from './organization.ts';
import { newUnitId, type OrganizationRecord, type Tag, type UnitRecord } from './records.ts';
import { changeOrganization, lineage, managedOrganization, page, parentOf, requireParent, targetKind, unitShape } from './shared.ts';

/** AWS allows OUs five levels deep below the root. */
export const MAX_UNIT_DEPTH = 5;
/** AWS's default quota of OUs in an organization. */
export const MAX_UNITS = 1000;

interface PageInput {
  NextToken?: string;
  MaxResults?: number;
}

function requireUnit(org: OrganizationRecord, id: string): UnitRecord {
  const unit = org.units[id];
  if (!unit) throw unitNotFound();
  return unit;
}

/** OU names are unique among their siblings. */
function assertNameFree(org: OrganizationRecord, parentId: string, name: string, except?: string): void {
  const taken = Object.values(org.units).some((unit) => unit.parentId === parentId && unit.name === name && unit.id !== except);
  if (taken) throw duplicateUnit();
}

/** The ids of a parent's child accounts or OUs. */
export function childrenOf(org: OrganizationRecord, parentId: string, type: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT'): string[] {
  const nodes = type === 'ACCOUNT' ? Object.values(org.accounts) : Object.values(org.units);
  return nodes.filter((node) => node.parentId === parentId).map((node) => node.id);
}

export const unitHandlers = {
  async CreateOrganizationalUnit(input: { ParentId: string; Name: string; Tags?: Tag[] }, context: RequestContext) {
    return changeOrganization(context, (org) => {
      requireParent(org, input.ParentId);
      // lineage() counts the root: a parent at depth 5 has 6 ids.
      if (lineage(org, input.ParentId).length > MAX_UNIT_DEPTH) throw constraintViolation('OU_DEPTH_LIMIT_EXCEEDED');
      if (Object.keys(org.units).length >= MAX_UNITS) throw constraintViolation('OU_NUMBER_LIMIT_EXCEEDED');
      assertNameFree(org, input.ParentId, input.Name);
      const unit: UnitRecord = { id: newUnitId(org.rootId), name: input.Name, parentId: input.ParentId, tags: input.Tags ?? [] };
      org.units[unit.id] = unit;
      attachDefaultPolicies(org, unit.id);
      return { OrganizationalUnit: unitShape(org, unit) };
    });
  },

  async DescribeOrganizationalUnit(input: { OrganizationalUnitId: string }, context: RequestContext) {
    const org = await managedOrganization(context);
    return { OrganizationalUnit: unitShape(org, requireUnit(org, input.OrganizationalUnitId)) };
  },

  async UpdateOrganizationalUnit(input: { OrganizationalUnitId: string; Name?: string }, context: RequestContext) {
    return changeOrganization(context, (org) => {
      const unit = requireUnit(org, input.OrganizationalUnitId);
      if (input.Name !== undefined) {
        assertNameFree(org, unit.parentId, input.Name, unit.id);
        unit.name = input.Name;
      }
      return { OrganizationalUnit: unitShape(org, unit) };
    });
  },

  /** Only an empty OU (no accounts, no child OUs) can be deleted; its attachments go with it. */
  async DeleteOrganizationalUnit(input: { OrganizationalUnitId: string }, context: RequestContext) {
    await changeOrganization(context, (org) => {
      const unit = requireUnit(org, input.OrganizationalUnitId);
      const hasChildren = [...Object.values(org.units), ...Object.values(org.accounts)].some((node) => node.parentId === unit.id);
      if (hasChildren) throw unitNotEmpty();
      delete org.units[unit.id];
      org.attachments = org.attachments.filter((attachment) => attachment.targetId !== unit.id);
    });
    return {};
  },

  async ListOrganizationalUnitsForParent(input: { ParentId: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireParent(org, input.ParentId);
    const { items, NextToken } = page(childrenOf(org, input.ParentId, 'ORGANIZATIONAL_UNIT'), input);
    return { OrganizationalUnits: items.map((id) => unitShape(org, org.units[id]!)), ...(NextToken ? { NextToken } : {}) };
  },

  async ListParents(input: { ChildId: string } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    const parentId = parentOf(org, input.ChildId);
    const { items, NextToken } = page([parentId], input);
    return { Parents: items.map((id) => ({ Id: id, Type: targetKind(org, id) })), ...(NextToken ? { NextToken } : {}) };
  },

  async ListChildren(input: { ParentId: string; ChildType: 'ACCOUNT' | 'ORGANIZATIONAL_UNIT' } & PageInput, context: RequestContext) {
    const org = await managedOrganization(context);
    requireParent(org, input.ParentId);
    const { items, NextToken } = page(childrenOf(org, input.ParentId, input.ChildType), input);
    return { Children: items.map((id) => ({ Id: id, Type: input.ChildType })), ...(NextToken ? { NextToken } : {}) };
  },
};
