// How the query protocol reads a request: Action/Version, parameter names from the
// model, every value type, and the 400s AWS answers for what does not fit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadModel } from '../../../src/protocol/model.ts';
import { queryCodec } from '../../../src/protocol/query.ts';
import { assertAwsError, formPost, get } from './support.ts';
import { syntheticModel } from './synthetic-model.ts';

const iam = loadModel('iam');
const widgets = syntheticModel;
const putWidget = widgets.operations.PutWidget;

function parseWidget(body: string): Record<string, unknown> {
  return queryCodec.parse(widgets, putWidget, formPost(`Action=PutWidget&Version=2020-01-01&${body}`));
}

describe('query protocol: which operation', () => {
  it('takes the operation from the Action parameter of a form body', () => {
    assert.equal(queryCodec.operationOf(iam, formPost('Action=CreateUser&Version=2010-05-08&UserName=a')).name, 'CreateUser');
  });

  it('takes Action from the query string of a GET', () => {
    assert.equal(queryCodec.operationOf(iam, get('Action=ListUsers&Version=2010-05-08')).name, 'ListUsers');
  });

  it('a request without Action is MissingAction, 400', () => {
    assertAwsError(() => queryCodec.operationOf(iam, formPost('Version=2010-05-08&UserName=a')), 'MissingAction', 400, /Action/);
  });

  it('an unknown Action is InvalidAction, 400: "Could not find operation X for version Y"', () => {
    assertAwsError(
      () => queryCodec.operationOf(iam, formPost('Action=FlyToTheMoon&Version=2010-05-08')),
      'InvalidAction',
      400,
      /^Could not find operation FlyToTheMoon for version 2010-05-08$/,
    );
  });

  it('an Action naming an Object.prototype property is InvalidAction too', () => {
    for (const action of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      assertAwsError(() => queryCodec.operationOf(iam, formPost(`Action=${action}&Version=2010-05-08`)), 'InvalidAction', 400);
    }
  });

  it('the codec names its protocol and error codes', () => {
    assert.equal(queryCodec.protocol, 'query');
    assert.equal(queryCodec.validationErrorCode(iam), 'ValidationError');
    assert.equal(queryCodec.unknownOperationCode, 'InvalidAction');
  });
});

describe('query protocol: parameters to typed input', () => {
  it('reads every scalar type: integers, longs, doubles, booleans, timestamps, base64 blobs', () => {
    const input = parseWidget(
      'Name=w&Count=-42&Big=9007199254740991&Ratio=1.5e3&Enabled=true&When=2025-01-02T03%3A04%3A05.123Z&Payload=aGVsbG8%3D',
    );
    assert.deepEqual(input, {
      Name: 'w',
      Count: -42,
      Big: 9007199254740991,
      Ratio: 1500,
      Enabled: true,
      When: new Date('2025-01-02T03:04:05.123Z'),
      Payload: Buffer.from('hello'),
    });
  });

  it('accepts timestamps as epoch seconds and with a UTC offset', () => {
    assert.deepEqual(parseWidget('When=1735787045').When, new Date('2025-01-02T03:04:05Z'));
    assert.deepEqual(parseWidget('When=2025-01-02T05%3A04%3A05%2B02%3A00').When, new Date('2025-01-02T03:04:05Z'));
  });

  it('uses a member\'s locationName as its parameter name', () => {
    assert.deepEqual(parseWidget('OtherName=x&Renamed=ignored'), { Renamed: 'x' });
  });

  it('reads lists as Name.member.N, in index order', () => {
    assert.deepEqual(parseWidget('Labels.member.2=b&Labels.member.1=a&Labels.member.3=c').Labels, ['a', 'b', 'c']);
  });

  it('closes gaps in list indices', () => {
    assert.deepEqual(parseWidget('Labels.member.1=a&Labels.member.5=b').Labels, ['a', 'b']);
  });

  it('reads flattened lists as Name.N, named by the list member\'s locationName when it has one', () => {
    const input = parseWidget('FlatLabels.1=a&FlatLabels.2=b&Label.1=x&Label.2=y');
    assert.deepEqual(input.FlatLabels, ['a', 'b']);
    assert.deepEqual(input.NamedFlat, ['x', 'y']);
  });

  it('reads maps as Name.entry.N.key / .value, and flattened maps as Name.N.key / .value', () => {
    const input = parseWidget(
      'Attributes.entry.1.key=color&Attributes.entry.1.value=red&Attributes.entry.2.key=size&Attributes.entry.2.value=L' +
        '&FlatAttributes.1.key=a&FlatAttributes.1.value=1',
    );
    assert.deepEqual(input.Attributes, { color: 'red', size: 'L' });
    assert.deepEqual(input.FlatAttributes, { a: '1' });
  });

  it('names map keys and values by their locationName', () => {
    const input = parseWidget('NamedAttributes.entry.1.Name=cpu&NamedAttributes.entry.1.Amount=4');
    assert.deepEqual(input.NamedAttributes, { cpu: 4 });
  });

  it('a map key `__proto__` is an ordinary key, never the object\'s prototype', () => {
    const attributes = parseWidget('Attributes.entry.1.key=__proto__&Attributes.entry.1.value=x').Attributes as object;
    assert.equal(Object.getPrototypeOf(attributes), Object.prototype);
    assert.deepEqual(Object.keys(attributes), ['__proto__']);
  });

  it('reads nested and recursive structures as Name.Sub', () => {
    assert.deepEqual(parseWidget('Child.Id=1&Child.Next.Id=2&Child.Next.Next.Id=3').Child, {
      Id: '1',
      Next: { Id: '2', Next: { Id: '3' } },
    });
  });

  it('an empty list is sent as `Name=` and reads as []', () => {
    assert.deepEqual(parseWidget('Labels=').Labels, []);
  });

  it('decodes + as a space and %XX as UTF-8', () => {
    assert.equal(parseWidget('Name=a+b%20c%C3%A9%26').Name, 'a b cé&');
  });

  it('merges the query string with the form body', () => {
    const request = formPost('Action=PutWidget&Name=from-body', 'Count=7');
    assert.deepEqual(queryCodec.parse(widgets, putWidget, request), { Name: 'from-body', Count: 7 });
  });

  it('reads a GET\'s parameters from the query string', () => {
    const input = queryCodec.parse(iam, iam.operations.ListUsers, get('Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fa%2F&MaxItems=5'));
    assert.deepEqual(input, { PathPrefix: '/a/', MaxItems: 5 });
  });

  it('ignores parameters the model does not have (Action, Version, SigV4 query auth, unknown names)', () => {
    assert.deepEqual(parseWidget('Name=w&X-Amz-Signature=abc&Bogus.member.1=1'), { Name: 'w' });
  });

  it('a repeated parameter keeps its first value', () => {
    assert.equal(parseWidget('Name=first&Name=second').Name, 'first');
  });

  it('an operation without input parses to {}', () => {
    assert.deepEqual(queryCodec.parse(widgets, widgets.operations.Ping, formPost('Action=Ping&Anything=1')), {});
  });
});

describe('query protocol: values that do not fit are 400s naming the parameter', () => {
  it('IAM ListUsers MaxItems=abc: ValidationError, 400, naming MaxItems', () => {
    assertAwsError(
      () => queryCodec.parse(iam, iam.operations.ListUsers, formPost('Action=ListUsers&Version=2010-05-08&MaxItems=abc')),
      'ValidationError',
      400,
      /'abc' at 'MaxItems'.*integer/,
    );
  });

  const cases: [string, RegExp][] = [
    ['Count=1.5', /Count/],
    ['Count=2147483648', /Count/],
    ['Count=', /Count/],
    ['Big=99999999999999999999', /Big/],
    ['Ratio=fast', /Ratio/],
    ['Enabled=yes', /Enabled/],
    ['When=yesterday', /When/],
    ['When=2025-13-45T99%3A99%3A99Z', /When/],
    ['Payload=not*base64', /Payload/],
    ['Labels=oops', /Labels/],
    ['Child.Next.Next.Id=1&Labels.member.1=a&Attributes.entry.1.value=v', /Attributes\.entry\.1/],
  ];
  for (const [body, names] of cases) {
    it(`${body} is a 400 naming the parameter`, () => {
      try {
        parseWidget(body);
        assert.fail('expected an error');
      } catch (error) {
        assert.equal((error as { status?: number }).status, 400);
        assert.match((error as Error).message, names);
      }
    });
  }

  it('bad percent-encoding is InvalidQueryParameter, 400', () => {
    assertAwsError(() => parseWidget('Name=%E0%A4%A'), 'InvalidQueryParameter', 400);
    assertAwsError(() => parseWidget('Name=%ZZ'), 'InvalidQueryParameter', 400);
  });

  it('a list index beyond 10000 is refused without building the list (Tags.member.99999999.Key)', () => {
    assertAwsError(
      () => queryCodec.parse(iam, iam.operations.TagUser, formPost('Action=TagUser&UserName=a&Tags.member.99999999.Key=k')),
      'InvalidQueryParameter',
      400,
      /Tags\.member\.99999999/,
    );
  });

  it('list indices must be positive decimal integers', () => {
    for (const index of ['0', '-1', 'x', '1e3', '01x']) {
      assertAwsError(() => parseWidget(`Labels.member.${index}=a`), 'InvalidQueryParameter', 400);
    }
  });
});
