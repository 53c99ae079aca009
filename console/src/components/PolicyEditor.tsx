// A JSON policy editor with live validation: the JSON is parsed as you type, and a
// moment after you stop, IAM itself checks the document (SimulateCustomPolicy, which
// changes nothing) and its message — AWS's own wording — is shown. Saving may still
// find more (CreatePolicy and PutUserPolicy check the whole grammar).
import { SimulateCustomPolicyCommand } from '@aws-sdk/client-iam';
import { useEffect, useId, useState } from 'react';
import { errorText, useAws } from '../aws.ts';

export const EXAMPLE_POLICY = JSON.stringify(
  { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: '*' }] },
  null,
  2,
);

export type Validity = 'checking' | 'valid' | 'invalid';

/** Where JSON.parse stopped, in words, or undefined for valid JSON. */
function jsonProblem(text: string): string | undefined {
  try {
    const value = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'A policy is a JSON object: { "Version": ..., "Statement": [...] }.';
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

export function PolicyEditor({
  label,
  value,
  onChange,
  onValidity,
  rows = 16,
  checkWithIam = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  onValidity?: (validity: Validity) => void;
  rows?: number;
  /** False for documents IAM's simulator cannot check alone (trust policies name a Principal). */
  checkWithIam?: boolean;
}) {
  const { clients } = useAws();
  const id = useId();
  const [message, setMessage] = useState<string>();
  const [validity, setValidity] = useState<Validity>('checking');

  useEffect(() => {
    const local = jsonProblem(value);
    if (local) {
      setValidity('invalid');
      setMessage(local);
      onValidity?.('invalid');
      return;
    }
    if (!checkWithIam) {
      setValidity('valid');
      setMessage('Valid JSON. The service checks the rest of the grammar when you save.');
      onValidity?.('valid');
      return;
    }
    setValidity('checking');
    onValidity?.('checking');
    let current = true;
    const timer = setTimeout(() => {
      clients.iam
        .send(new SimulateCustomPolicyCommand({ PolicyInputList: [value], ActionNames: ['iam:GetUser'] }))
        .then(
          () => {
            if (!current) return;
            setValidity('valid');
            setMessage(undefined);
            onValidity?.('valid');
          },
          (error) => {
            if (!current) return;
            // Only a verdict on the document counts; anything else (no permission to simulate) is said as it is.
            const invalid = /MalformedPolicyDocument|InvalidInput/.test((error as Error).name);
            setValidity(invalid ? 'invalid' : 'valid');
            setMessage(invalid ? (error as Error).message : `Could not check the policy: ${errorText(error)}`);
            onValidity?.(invalid ? 'invalid' : 'valid');
          },
        );
    }, 600);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value, clients, checkWithIam]);

  return (
    <div className="field policy-editor">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        rows={rows}
        value={value}
        onChange={(event) => onChange(event.target.value)}
        spellCheck={false}
        aria-invalid={validity === 'invalid'}
        aria-describedby={`${id}-status`}
      />
      <p id={`${id}-status`} className={`validation ${validity}`} role="status" aria-live="polite">
        {validity === 'checking' ? 'Checking…' : validity === 'valid' ? (message ?? 'The policy is valid.') : message}
      </p>
    </div>
  );
}
