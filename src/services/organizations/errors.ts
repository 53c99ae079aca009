// AWS Organizations' errors with AWS's messages.
import { AwsError } from '../../protocol/errors.ts';

const error = (code: string, message: string) => (): AwsError => new AwsError(code, message);

export const notInUse = error('AWSOrganizationsNotInUseException', 'Your account is not a member of an organization.');
export const alreadyInOrganization = error('AlreadyInOrganizationException', 'The AWS account is already a member of an organization.');
export const accessDenied = error('AccessDeniedException', "You don't have permissions to access this resource.");
/** The caller may not let Organizations create its service-linked role (AcceptHandshake, CreateAccount). */
export const accessDeniedForServiceLinkedRole = (): AwsError =>
  new AwsError(
    'AccessDeniedForDependencyException',
    "The operation that you attempted requires you to have the iam:CreateServiceLinkedRole for organizations.amazonaws.com permission so that Organizations can create the required service-linked role. You don't have that permission.",
    { fields: { Reason: 'ACCESS_DENIED_DURING_CREATE_SERVICE_LINKED_ROLE' } },
  );
export const organizationNotEmpty = error(
  'OrganizationNotEmptyException',
  'To delete an organization you must first remove all member accounts (except the management account).',
);
export const parentNotFound = error('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
export const unitNotFound = error(
  'OrganizationalUnitNotFoundException',
  "We can't find an OU with the OrganizationalUnitId that you specified.",
);
export const duplicateUnit = error('DuplicateOrganizationalUnitException', 'An OU with the same name already exists.');
export const unitNotEmpty = error(
  'OrganizationalUnitNotEmptyException',
  'The specified OU is not empty. Move all accounts to another root or OU and delete all child OUs, and then try the operation again.',
);
export const accountNotFound = error(
  'AccountNotFoundException',
  "We can't find an AWS account with the AccountId that you specified, or the account whose credentials you used to make this request isn't a member of an organization.",
);
export const childNotFound = error(
  'ChildNotFoundException',
  "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.",
);
export const sourceParentNotFound = error(
  'SourceParentNotFoundException',
  "We can't find a source root or OU with the ParentId that you specified.",
);
export const destinationParentNotFound = error(
  'DestinationParentNotFoundException',
  "We can't find a destination root or OU with the ParentId that you specified.",
);
export const duplicateAccount = error('DuplicateAccountException', 'That account is already present in the specified destination.');
export const createAccountStatusNotFound = error(
  'CreateAccountStatusNotFoundException',
  "We can't find an create account request with the CreateAccountRequestId that you specified.",
);
export const policyNotFound = error('PolicyNotFoundException', "We can't find a policy with the PolicyId that you specified.");
export const duplicatePolicy = error('DuplicatePolicyException', 'A policy with the same name already exists.');
export const duplicatePolicyAttachment = error(
  'DuplicatePolicyAttachmentException',
  'The selected policy is already attached to the specified target.',
);
export const policyNotAttached = error('PolicyNotAttachedException', "The policy isn't attached to the specified target in the specified root.");
export const policyInUse = error(
  'PolicyInUseException',
  'The policy is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.',
);
export const policyTypeNotEnabled = error(
  'PolicyTypeNotEnabledException',
  "The specified policy type isn't currently enabled in this root. You can't attach policies of the specified type to entities in a root until you enable that type in the root.",
);
export const policyTypeAlreadyEnabled = error('PolicyTypeAlreadyEnabledException', 'The specified policy type is already enabled.');
export const policyTypeNotAvailable = error(
  'PolicyTypeNotAvailableForOrganizationException',
  "You can't use a policy type that is not available in an organization that supports only consolidated billing features.",
);
export const targetNotFound = error(
  'TargetNotFoundException',
  "We can't find a root, OU, account, or policy with the TargetId that you specified.",
);
export const rootNotFound = error('RootNotFoundException', "We can't find a root with the RootId that you specified.");
export const accountAlreadyRegistered = error(
  'AccountAlreadyRegisteredException',
  'The specified account is already a delegated administrator for this AWS service.',
);
export const accountNotRegistered = error(
  'AccountNotRegisteredException',
  'The specified account is not a delegated administrator for this AWS service.',
);
export const effectivePolicyNotFound = error(
  'EffectivePolicyNotFoundException',
  "If you ran this action on the management account, this policy type is not enabled. If you ran the action on a member account, the account doesn't have an effective policy of this type. Contact the administrator of your organization about attaching a policy of this type to the account.",
);
export const responsibilityTransferNotFound = error('ResponsibilityTransferNotFoundException', "We can't find a transfer that you specified.");
export const responsibilityTransferAlreadyInStatus = error(
  'ResponsibilityTransferAlreadyInStatusException',
  'The responsibility transfer is already in the status that you specified.',
);
export const invalidResponsibilityTransferTransition = error(
  'InvalidResponsibilityTransferTransitionException',
  "The responsibility transfer can't transition to the requested state because it's not in a valid state for this operation.",
);
export const resourcePolicyNotFound = error(
  'ResourcePolicyNotFoundException',
  "We can't find a resource policy request with the parameter that you specified.",
);

/** ConstraintViolationException carries a Reason from the model's enum; messages are AWS's descriptions. */
const CONSTRAINT_MESSAGES = {
  OU_DEPTH_LIMIT_EXCEEDED: 'You attempted to create an OU tree that is too many levels deep.',
  OU_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of OUs that you can have in an organization.',
  POLICY_NUMBER_LIMIT_EXCEEDED: 'You attempted to exceed the number of policies that you can have in an organization.',
  POLICY_CONTENT_LIMIT_EXCEEDED: 'You attempted to create a policy that is larger than the maximum size.',
  MAX_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to exceed the number of policies of a certain type that can be attached to an entity at one time.',
  MIN_POLICY_TYPE_ATTACHMENT_LIMIT_EXCEEDED:
    'You attempted to detach a policy from an entity that would cause the entity to have fewer than the minimum number of policies of a certain type required.',
  TAG_POLICY_VIOLATION: 'You attempted to create or update a resource with tags that are not compliant with the tag policy requirements for this account.',
  MAX_TAG_LIMIT_EXCEEDED: 'You have exceeded the number of tags allowed on this resource.',
  ORGANIZATION_NOT_IN_ALL_FEATURES_MODE:
    'You attempted to perform an operation that requires the organization to be configured to support all features. An organization that supports only consolidated billing features can\'t perform this operation.',
  CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR:
    'You attempted to register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations. You can designate only a member account as a delegated administrator.',
  DELEGATED_ADMINISTRATOR_EXISTS_FOR_THIS_SERVICE:
    'You attempted to register an AWS account as a delegated administrator for an AWS service that already has a delegated administrator. To complete this operation, you must first deregister any existing delegated administrators for this service.',
  MAX_DELEGATED_ADMINISTRATORS_FOR_SERVICE_LIMIT_EXCEEDED:
    'You attempted to register more delegated administrators than allowed for the service principal.',
  // AWS documents no wording for this reason; this says what it means.
  SERVICE_ACCESS_NOT_ENABLED:
    'You attempted to register a delegated administrator for a service that does not have trusted access enabled in the organization.',
  POLICY_TYPE_ENABLED_FOR_THIS_SERVICE:
    'You attempted to disable service access before you disabled the policy type (for example, SECURITYHUB_POLICY). To complete this operation, you must first disable the policy type.',
  CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR: 'You cannot register a suspended account as a delegated administrator.',
  ACTIVE_RESPONSIBILITY_TRANSFER_PROCESS:
    'You cannot delete organization due to an ongoing responsibility transfer process. For example, a pending invitation or an in-progress transfer. To delete the organization, you must resolve the current transfer process.',
  MASTER_ACCOUNT_NOT_GOVCLOUD_ENABLED:
    'To complete this operation, the management account must have an associated account in the AWS GovCloud (US-West) Region. For more information, see AWS Organizations in the AWS GovCloud User Guide.',
  CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG:
    'You attempted to remove an account that is registered as a delegated administrator for a service integrated with your organization. To complete this operation, you must first deregister this account as a delegated administrator.',
  WAIT_PERIOD_ACTIVE:
    "After you create an AWS account, you must wait until at least four days after the account was created. Invited accounts aren't subject to this waiting period.",
  CANNOT_CLOSE_MANAGEMENT_ACCOUNT:
    'You attempted to close the management account. To close the management account for the organization, you must first either remove or close all member accounts in the organization. Follow standard account closure process using root credentials.',
  CLOSE_ACCOUNT_QUOTA_EXCEEDED: 'You have exceeded close account quota for the past 30 days.',
} as const;

export function constraintViolation(reason: keyof typeof CONSTRAINT_MESSAGES): AwsError {
  return new AwsError('ConstraintViolationException', CONSTRAINT_MESSAGES[reason], { fields: { Reason: reason } });
}

export function invalidInput(reason: string, message: string): AwsError {
  return new AwsError('InvalidInputException', message, { fields: { Reason: reason } });
}

// --- handshakes and account lifecycle -------------------------------------------

export const handshakeNotFound = error('HandshakeNotFoundException', "We can't find a handshake with the HandshakeId that you specified.");
export const invalidHandshakeTransition = error(
  'InvalidHandshakeTransitionException',
  "You can't perform the operation on the handshake in its current state. For example, you can't cancel a handshake that was already accepted or accept a handshake that was already declined.",
);
export const handshakeAlreadyInState = error(
  'HandshakeAlreadyInStateException',
  "The specified handshake is already in the requested state. For example, you can't accept a handshake that was already accepted.",
);
export const duplicateHandshake = error(
  'DuplicateHandshakeException',
  'A handshake with the same action and target already exists. For example, if you invited an account to join your organization, the invited account might already have a pending invitation from this organization. If you intend to resend an invitation to an account, ensure that existing handshakes that might be considered duplicates are canceled or declined.',
);
export const managementCannotLeave = error(
  'MasterCannotLeaveOrganizationException',
  "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization of the management account.",
);
export const accountAlreadyClosed = error('AccountAlreadyClosedException', 'You attempted to close an account that is already closed.');

/** HandshakeConstraintViolationException's reasons, with AWS's descriptions as messages. */
const HANDSHAKE_CONSTRAINT_MESSAGES = {
  ALREADY_IN_AN_ORGANIZATION: 'The handshake request is invalid because the invited account is already a member of an organization.',
  HANDSHAKE_RATE_LIMIT_EXCEEDED: 'You attempted to exceed the number of handshakes that you can send in one day.',
  ORGANIZATION_ALREADY_HAS_ALL_FEATURES: 'The handshake request is invalid because the organization has already enabled all features.',
  ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION:
    'The handshake request is invalid because the organization has already started the process to enable all features.',
  INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES:
    "You can't issue new invitations to join an organization while it's in the process of enabling all features. You can resume inviting accounts after you finalize the process when all accounts have agreed to the change.",
} as const;

export function handshakeConstraintViolation(reason: keyof typeof HANDSHAKE_CONSTRAINT_MESSAGES): AwsError {
  return new AwsError('HandshakeConstraintViolationException', HANDSHAKE_CONSTRAINT_MESSAGES[reason], { fields: { Reason: reason } });
}
