// IAM user operations the console composes from several API calls, as AWS's console
// does: deleting a user first removes what DeleteUser refuses to leave behind.
import {
  DeactivateMFADeviceCommand,
  DeleteAccessKeyCommand,
  DeleteLoginProfileCommand,
  DeleteUserCommand,
  ListAccessKeysCommand,
  ListGroupsForUserCommand,
  ListMFADevicesCommand,
  RemoveUserFromGroupCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { removeAllPolicies } from './iam-entities.ts';

export async function deleteUserCompletely(iam: IAMClient, userName: string): Promise<void> {
  const UserName = userName;
  const [keys, groups, devices] = await Promise.all([
    iam.send(new ListAccessKeysCommand({ UserName })),
    iam.send(new ListGroupsForUserCommand({ UserName })),
    iam.send(new ListMFADevicesCommand({ UserName })),
  ]);
  for (const key of keys.AccessKeyMetadata ?? []) await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: key.AccessKeyId }));
  await removeAllPolicies(iam, 'user', UserName);
  for (const group of groups.Groups ?? []) await iam.send(new RemoveUserFromGroupCommand({ UserName, GroupName: group.GroupName }));
  for (const device of devices.MFADevices ?? []) await iam.send(new DeactivateMFADeviceCommand({ UserName, SerialNumber: device.SerialNumber }));
  try {
    await iam.send(new DeleteLoginProfileCommand({ UserName }));
  } catch (error) {
    if ((error as Error).name !== 'NoSuchEntityException') throw error;
  }
  await iam.send(new DeleteUserCommand({ UserName }));
}
