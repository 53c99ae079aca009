// Tags of a user or role (groups have none): they are what aws:PrincipalTag conditions
// read, so they are part of what a principal may do. Add or replace one, remove one.
import {
  ListRoleTagsCommand,
  ListUserTagsCommand,
  TagRoleCommand,
  TagUserCommand,
  UntagRoleCommand,
  UntagUserCommand,
  type IAMClient,
  type Tag,
} from '@aws-sdk/client-iam';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { useChange, useLoad } from '../hooks.ts';
import { ListingWithDelete, type Column } from './DataTable.tsx';
import { Field, Panel } from './ui.tsx';

interface TagOps {
  list(iam: IAMClient, name: string): Promise<Tag[]>;
  tag(iam: IAMClient, name: string, tag: Tag): Promise<unknown>;
  untag(iam: IAMClient, name: string, key: string): Promise<unknown>;
}

const TAG_OPS: Record<'user' | 'role', TagOps> = {
  user: {
    list: async (iam, UserName) => (await iam.send(new ListUserTagsCommand({ UserName }))).Tags ?? [],
    tag: (iam, UserName, tag) => iam.send(new TagUserCommand({ UserName, Tags: [tag] })),
    untag: (iam, UserName, key) => iam.send(new UntagUserCommand({ UserName, TagKeys: [key] })),
  },
  role: {
    list: async (iam, RoleName) => (await iam.send(new ListRoleTagsCommand({ RoleName }))).Tags ?? [],
    tag: (iam, RoleName, tag) => iam.send(new TagRoleCommand({ RoleName, Tags: [tag] })),
    untag: (iam, RoleName, key) => iam.send(new UntagRoleCommand({ RoleName, TagKeys: [key] })),
  },
};

const TAG_COLUMNS: Column<Tag>[] = [
  { header: 'Key', cell: (tag) => tag.Key },
  { header: 'Value', cell: (tag) => tag.Value },
];

export function EntityTags({ kind, name }: { kind: 'user' | 'role'; name: string }) {
  const { clients } = useAws();
  const ops = TAG_OPS[kind];
  const tags = useLoad(() => ops.list(clients.iam, name), [clients, kind, name]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const action = useChange(tags);

  async function add(event: FormEvent) {
    event.preventDefault();
    if (await action.change(() => ops.tag(clients.iam, name, { Key: key.trim(), Value: value }))) {
      setKey('');
      setValue('');
    }
  }

  return (
    <Panel title="Tags">
      <ListingWithDelete
        state={tags}
        what="tags"
        empty="No tags."
        rowKey={(tag) => tag.Key!}
        columns={TAG_COLUMNS}
        remover={action}
        deleteLabel={(tag) => `Remove tag ${tag.Key}`}
        onDelete={(tag) => ops.untag(clients.iam, name, tag.Key!)}
      />
      <form className="inline-form" onSubmit={add}>
        <Field label="Tag key" value={key} onChange={setKey} required />
        <Field label="Tag value" value={value} onChange={setValue} />
        <button type="submit" disabled={action.busy}>
          Add tag
        </button>
      </form>
    </Panel>
  );
}
