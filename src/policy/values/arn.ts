// ARNs: arn:partition:service:region:account-id:resource.

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

export function parseArn(text: string): Arn | undefined {
  if (!text.startsWith('arn:')) return undefined;
  const parts = text.split(':');
  if (parts.length < 6) return undefined;
  const [, partition, service, region, account] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/** The account that owns the resource an ARN names, or '' (S3 bucket ARNs carry none). */
export function arnAccount(text: string): string {
  return parseArn(text)?.account ?? '';
}
