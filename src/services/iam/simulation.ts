// IAM's policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy and the
// GetContextKeysFor* operations, evaluated by Bulwark's policy engine. One handler
// table for the IAM service to merge; the pieces live in ./simulation/.
export { simulationHandlers } from './simulation/handlers.ts';
export { identityPoliciesOf, parseIdentityArn, type IdentityPolicies, type SourcedPolicy } from './simulation/sources.ts';
export { statementSpans } from './simulation/positions.ts';
