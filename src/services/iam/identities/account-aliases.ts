// Account aliases: one per account, unique across all accounts (the sign-in URL uses
// it). Creating an alias while the account has one replaces it, as AWS does; a name
// any account already holds, this one included, is EntityAlreadyExists.
import type { Operations } from '../../../protocol/types/iam.ts';
import type { Handlers } from '../../handlers.ts';
import { alreadyExists, noSuchEntity } from '../common.ts';
import { COLLECTIONS } from '../records.ts';
import { accountOf } from './shared.ts';

interface AccountAliasRecord {
  alias: string;
}

interface AliasOwnerRecord {
  accountId: string;
}

export const accountAliasHandlers: Handlers<Operations> = {
  async CreateAccountAlias(input, context) {
    const accountId = accountOf(context);
    const alias = input.AccountAlias;
    await context.store.transaction(async (tx) => {
      const owner: AliasOwnerRecord = { accountId };
      if (!(await tx.insert(COLLECTIONS.aliasOwners, alias, owner))) {
        throw alreadyExists(`The account alias ${alias} already exists.`);
      }
      const current = await tx.get<AccountAliasRecord>(COLLECTIONS.accountAliases, accountId);
      if (current) await tx.delete(COLLECTIONS.aliasOwners, current.alias);
      await tx.put(COLLECTIONS.accountAliases, accountId, { alias } satisfies AccountAliasRecord);
    });
  },

  async DeleteAccountAlias(input, context) {
    const accountId = accountOf(context);
    await context.store.transaction(async (tx) => {
      const current = await tx.get<AccountAliasRecord>(COLLECTIONS.accountAliases, accountId);
      if (current?.alias !== input.AccountAlias) {
        throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
      }
      await tx.delete(COLLECTIONS.accountAliases, accountId);
      await tx.delete(COLLECTIONS.aliasOwners, current.alias);
    });
  },

  /** An account has at most one alias, so one page always holds them all. */
  async ListAccountAliases(_input, context) {
    const current = await context.store.get<AccountAliasRecord>(COLLECTIONS.accountAliases, accountOf(context));
    return { AccountAliases: current ? [current.alias] : [], IsTruncated: false };
  },
};
