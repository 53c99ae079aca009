// CloudTrail event history: LookupEvents with one lookup attribute and a time range,
// newest first; each event's record as JSON and, for denied or allowed calls, how
// Bulwark's policy engine decided (which policy type decided, which statements matched).
import { LookupEventsCommand, type Event, type LookupAttributeKey } from '@aws-sdk/client-cloudtrail';
import { useState, type FormEvent } from 'react';
import { useAws } from '../aws.ts';
import { ErrorNote, Field, formatTime, Loading, Page, Panel, Select } from '../components/ui.tsx';
import { useAction } from '../hooks.ts';
import { explainRecord, type CloudTrailRecord } from '../explain.ts';

const ATTRIBUTES: { value: LookupAttributeKey | ''; label: string }[] = [
  { value: '', label: 'Any (no filter)' },
  { value: 'EventName', label: 'Event name' },
  { value: 'Username', label: 'User name' },
  { value: 'EventSource', label: 'Event source' },
  { value: 'ResourceName', label: 'Resource name' },
  { value: 'ResourceType', label: 'Resource type' },
  { value: 'AccessKeyId', label: 'Access key ID' },
  { value: 'ReadOnly', label: 'Read only' },
  { value: 'EventId', label: 'Event ID' },
];

interface Row {
  event: Event;
  record: CloudTrailRecord;
}

export function EventHistory() {
  const { clients } = useAws();
  const [attribute, setAttribute] = useState<string>('');
  const [value, setValue] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [rows, setRows] = useState<Row[]>();
  const [nextToken, setNextToken] = useState<string>();
  const [selected, setSelected] = useState<Row>();
  const action = useAction();

  async function lookup(more: boolean) {
    await action.run(async () => {
      const answer = await clients.cloudtrail.send(
        new LookupEventsCommand({
          ...(attribute && value.trim() ? { LookupAttributes: [{ AttributeKey: attribute as LookupAttributeKey, AttributeValue: value.trim() }] } : {}),
          ...(start ? { StartTime: new Date(`${start}Z`) } : {}),
          ...(end ? { EndTime: new Date(`${end}Z`) } : {}),
          MaxResults: 50,
          ...(more && nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      const page = (answer.Events ?? []).map((event) => ({ event, record: JSON.parse(event.CloudTrailEvent ?? '{}') as CloudTrailRecord }));
      setRows((previous) => (more ? [...(previous ?? []), ...page] : page));
      setNextToken(answer.NextToken);
      if (!more) setSelected(undefined);
    });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void lookup(false);
  }

  return (
    <Page title="Event history">
      <Panel title="Look up events">
        <form className="inline-form" onSubmit={submit}>
          <Select label="Lookup attribute" value={attribute} onChange={setAttribute} options={ATTRIBUTES} />
          <Field label="Attribute value" value={value} onChange={setValue} placeholder={attribute ? '' : 'choose an attribute first'} />
          <Field label="From (UTC)" type="datetime-local" value={start} onChange={setStart} />
          <Field label="To (UTC)" type="datetime-local" value={end} onChange={setEnd} />
          <button type="submit" className="primary" disabled={action.busy}>
            Look up
          </button>
        </form>
        <ErrorNote error={action.error} />
      </Panel>
      {action.busy && !rows && <Loading what="events" />}
      {rows && (
        <div className="split">
          <Panel title={`Events (${rows.length})`}>
            {rows.length === 0 ? (
              <p className="muted">
                No events match. (Bulwark records every call unless it was started with <code>--cloudtrail-recording off</code>.)
              </p>
            ) : (
              <div className="table-scroll">
                <table className="events">
                  <thead>
                    <tr>
                      <th scope="col">Time (UTC)</th>
                      <th scope="col">Event name</th>
                      <th scope="col">User name</th>
                      <th scope="col">Event source</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((row) => (
                      <tr key={row.event.EventId} aria-selected={selected?.event.EventId === row.event.EventId} className={row.record.errorCode || row.record.errorMessage ? 'failed' : undefined}>
                        <td>{formatTime(row.event.EventTime).replace(' UTC', '')}</td>
                        <td>
                          <button type="button" className="link" onClick={() => setSelected(row)}>
                            {row.event.EventName}
                          </button>
                        </td>
                        <td>{row.event.Username ?? '—'}</td>
                        <td>{row.event.EventSource}</td>
                        <td>{row.record.errorCode ?? (row.record.errorMessage ? 'Failure' : 'Success')}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {nextToken && (
              <button type="button" onClick={() => lookup(true)} disabled={action.busy}>
                Load more
              </button>
            )}
          </Panel>
          {selected && <EventDetail row={selected} />}
        </div>
      )}
    </Page>
  );
}

function EventDetail({ row }: { row: Row }) {
  const explanation = explainRecord(row.record);
  return (
    <Panel title={`${row.event.EventName} at ${formatTime(row.event.EventTime)}`}>
      <h3>Authorization</h3>
      <p className={explanation.denied ? 'verdict denied' : 'verdict'}>{explanation.summary}</p>
      {row.record.errorMessage && (
        <p>
          <strong>{row.record.errorCode ?? 'Error'}:</strong> {row.record.errorMessage}
        </p>
      )}
      {explanation.decisions.length > 0 && (
        <ul className="decisions">
          {explanation.decisions.map((decision, i) => (
            <li key={i}>
              <code>{decision.action}</code> on <code>{decision.resource}</code>: <strong>{decision.decision}</strong>, decided by {decision.decidedBy}.
              <br />
              Matched statements: {decision.statements.length === 0 ? 'none' : decision.statements.join('; ')}
            </li>
          ))}
        </ul>
      )}
      <h3>Event record</h3>
      <pre className="json" tabIndex={0} aria-label="The event's CloudTrail record as JSON">
        {JSON.stringify(row.record, null, 2)}
      </pre>
    </Panel>
  );
}
