// An account's name and email outside any organization. Any 12-digit id is an account in
// Bulwark, but only accounts made by CreateAccount come with a name and an email; an
// account that leaves an organization keeps them, and one Bulwark knows nothing about
// is named by its id with the address <account>@bulwark.invalid.
import type { Documents } from '../../store/store.ts';
import { ORG_COLLECTIONS, type AccountRecord } from './records.ts';

/** ACCOUNTID -> AccountIdentity: accounts that were in an organization and left it. */
const STANDALONE_ACCOUNTS = 'organizations.standalone-accounts';

export interface AccountIdentity {
  name: string;
  email: string;
}

/** Bulwark does not know an account's email until it is given one; this stands in for it. */
export function placeholderEmail(accountId: string): string {
  return `${accountId}@bulwark.invalid`;
}

const PLACEHOLDER_EMAIL = /^(\d{12})@bulwark\.invalid$/;

export async function identityOf(docs: Documents, accountId: string): Promise<AccountIdentity> {
  const known = await docs.get<AccountIdentity>(STANDALONE_ACCOUNTS, accountId);
  return known ?? { name: accountId, email: placeholderEmail(accountId) };
}

/** Whether Bulwark knows the account's email (it was made by CreateAccount, or has joined by email). */
export async function hasKnownEmail(docs: Documents, accountId: string): Promise<boolean> {
  return (await docs.get(STANDALONE_ACCOUNTS, accountId)) !== undefined;
}

/** The account an email address belongs to, if Bulwark knows one. */
export async function ownerOfEmail(docs: Documents, email: string): Promise<string | undefined> {
  const entry = await docs.get<{ accountId: string }>(ORG_COLLECTIONS.emails, email.toLowerCase());
  return entry?.accountId ?? PLACEHOLDER_EMAIL.exec(email.toLowerCase())?.[1];
}

/** Keeps a departing account's name and email (its email stays taken, as on AWS). */
export async function rememberStandalone(docs: Documents, account: AccountRecord): Promise<void> {
  await docs.put(STANDALONE_ACCOUNTS, account.id, { name: account.name, email: account.email });
}

/** Forgets a standalone account's identity once it is a member again (the organization holds it). */
export async function forgetStandalone(docs: Documents, accountId: string): Promise<void> {
  await docs.delete(STANDALONE_ACCOUNTS, accountId);
}
