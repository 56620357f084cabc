import assert from "node:assert/strict";
import { csvRows, csvValue, readResetPlan, readRow } from "./csv.ts";
import { JavaError } from "./java_error.ts";

Deno.test("--export quotes as Jackson's CsvEncoder: long values and characters below '-'", () => {
  // Recorded from Apache 2.8.2's --export (several groups, so with the group column).
  assert.equal(csvValue("abcdefghijklmnopqrstuvwx"), "abcdefghijklmnopqrstuvwx");
  assert.equal(csvValue("abcdefghijklmnopqrstuvwxy"), '"abcdefghijklmnopqrstuvwxy"');
  assert.equal(csvValue("x,y"), '"x,y"');
  assert.equal(csvValue("a b"), '"a b"');
  assert.equal(csvValue('q"q'), '"q""q"');
  assert.equal(csvValue("-g"), "-g");
  assert.equal(csvValue(""), "");
  assert.equal(
    csvRows([{ group: "g1", topic: "t1", partition: 2, offset: 5 }], false) +
      csvRows([{ group: "a b", topic: "t1", partition: 0, offset: 9 }], true),
    't1,2,5\n"a b",t1,0,9\n',
  );
});

/**
 * What Apache 2.8.2's `--reset-offsets --group g1 --from-file` made of one-line files (recorded on
 * this machine): the plan row it printed for g1, or the exception message it failed with, or
 * "none" when the line was read as another group's row (its "No reset plan for group g1 found").
 */
const RECORDED: [string, string][] = [
  ["t1,0,3", "t1 0 3"],
  ["t1,,3", "t1 0 3"],
  ["t1, 1 ,3", "t1 1 3"],
  ["t1,+1,3", "t1 1 3"],
  ["t1,0x1,3", "none"],
  ["t1,1.0,3", "none"],
  ["t1,2147483648,3", "none"],
  [
    "t1,0,9223372036854775808",
    'Cannot deserialize value of type `int` from String "9223372036854775808": not a valid Integer value',
  ],
  [
    "t1,0,1e2",
    'Cannot deserialize value of type `int` from String "1e2": not a valid Integer value',
  ],
  ["t1,0,3,", "t1 0 3"],
  ["g1,t1,0,3,9", 'Too many entries: expected at most 4 (value #4 (1 chars) "9")'],
  ["t1,0,3,9", "none"],
  ["t1,0,3 ", "t1 0 3"],
  ['"t1,0,3', "Missing closing quote for value"],
  ['t1,0,""', "t1 0 0"],
  ['t1,"0",5', "t1 0 5"],
  ["t1,0", "t1 0 0"],
  ["t1,0,3\r", "t1 0 3"],
  ["", "No content to map due to end-of-input"],
  [
    "a,b,c,d,e",
    'Cannot deserialize value of type `int` from String "c": not a valid Integer value',
  ],
  [
    "t1,0,3\nt1,x,2",
    'Cannot deserialize value of type `int` from String "x": not a valid Integer value',
  ],
  [
    "g1,t1,2147483648,3",
    'Cannot deserialize value of type `int` from String "2147483648": Overflow: numeric value ' +
    "(2147483648) out of range of Integer (-2147483648 - 2147483647)",
  ],
  [
    "g1,t1,0,9223372036854775808",
    'Cannot deserialize value of type `long` from String "9223372036854775808": not a valid Long value',
  ],
  ["g1,t1,0,x", 'Cannot deserialize value of type `long` from String "x": not a valid Long value'],
  ["g1,t1,0,3", "t1 0 3"],
  ["t1,0,3 ,", "t1 0 3"],
  [
    't1,0,"3"x',
    "Unexpected character ('x' (code 120)): Expected separator (',' (code 44)) or end-of-line",
  ],
  [
    "t1,0,'3'",
    `Cannot deserialize value of type \`int\` from String "'3'": not a valid Integer value`,
  ],
  [" t1 ,0,3", " t1  0 3"],
];

Deno.test("--from-file reads a line as Apache 2.8.2's Jackson reader does", () => {
  for (const [line, expected] of RECORDED) {
    let got: string;
    try {
      // An empty file ("") is one empty line; "\n" would be no line at all.
      const rows = readResetPlan(line === "" ? "" : `${line}\n`, "g1").filter((r) =>
        r.group === "g1"
      );
      got = rows.length === 0 ? "none" : rows.map((r) => `${r.topic} ${r.partition} ${r.offset}`)
        .join(";");
    } catch (e) {
      if (!(e instanceof JavaError)) throw e;
      got = e.message.split("\n")[0];
    }
    assert.equal(got, expected, JSON.stringify(line));
  }
});

/**
 * Jackson's whole messages, location included (recorded on this machine by a Java program reading
 * each line with Kafka 2.8.2's CsvRecordNoGroup / CsvRecordWithGroup and its CsvMapper settings).
 */
const WHOLE: [string, boolean, string][] = [
  [
    "x,yy,2",
    false,
    '"yy": not a valid Integer value\n at [Source: (StringReader); line: 1, column: 3] (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecordNoGroup["partition"])',
  ],
  [
    "t1, x ,2",
    false,
    '"x": not a valid Integer value\n at [Source: (StringReader); line: 1, column: 4] (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecordNoGroup["partition"])',
  ],
  [
    "t1,0,abc",
    false,
    '"abc": not a valid Long value\n at [Source: UNKNOWN; line: 1, column: 6] (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecordNoGroup["offset"])',
  ],
  [
    "g1,t1,0,x",
    true,
    '"x": not a valid Long value\n at [Source: UNKNOWN; line: 1, column: 9] (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecordWithGroup["offset"])',
  ],
  [
    't1,0,"abc"',
    false,
    '"abc": not a valid Long value\n at [Source: UNKNOWN; line: 1, column: 6] (through reference chain: kafka.admin.ConsumerGroupCommand$CsvRecordNoGroup["offset"])',
  ],
  [
    "g1,t1,0,3,9",
    true,
    'Too many entries: expected at most 4 (value #4 (1 chars) "9")\n at [Source: UNKNOWN; line: 1, column: 11]',
  ],
  [
    "t1,0,3,9,",
    false,
    'Too many entries: expected at most 3 (value #3 (1 chars) "9")\n at [Source: (StringReader); line: 1, column: 8]',
  ],
  [
    '"t1,0,3,4,5',
    false,
    "Missing closing quote for value\n at [Source: UNKNOWN; line: 1, column: 23]",
  ],
  ['a,"b', false, "Missing closing quote for value\n at [Source: UNKNOWN; line: 1, column: 9]"],
  [
    't1,"0"x,3',
    false,
    "Unexpected character ('x' (code 120)): Expected separator (',' (code 44)) or end-of-line\n at [Source: (StringReader); line: 1, column: 8]",
  ],
  ["", false, "No content to map due to end-of-input\n at [Source: UNKNOWN; line: -1, column: -1]"],
];

Deno.test("--from-file failures carry Jackson's location and reference chain", () => {
  for (const [line, withGroup, expected] of WHOLE) {
    assert.throws(
      () => readRow(line, withGroup),
      (e: unknown) => e instanceof JavaError && e.message.endsWith(expected),
      line,
    );
  }
});

Deno.test("--from-file: the first line picks the format; several groups need the long one", () => {
  assert.deepEqual(readResetPlan("t1,0,3\nt1,1,20\n", "g1").map((r) => r.group), ["g1", "g1"]);
  assert.deepEqual(
    readResetPlan("g1,t1,0,3\ng2,t2,2,1\n", "g1").map((r) => [r.group, r.topic]),
    [["g1", "t1"], ["g2", "t2"]],
  );
  // Without exactly one --group the short format is never tried: "t1" is read as the group.
  assert.deepEqual(readResetPlan("t1,0,3\n", undefined), [
    { group: "t1", topic: "0", partition: 3, offset: 0 },
  ]);
  // A short first line then a long one: the long one is read short (recorded from Apache).
  assert.throws(
    () => readResetPlan("t1,0,3\ng1,t1,1,2\n", "g1"),
    /^com\.fasterxml\.jackson\.databind\.exc\.InvalidFormatException: Cannot deserialize value of type `int` from String "t1": not a valid Integer value\n/,
  );
  assert.throws(
    () => readResetPlan("t1,0,3\nt1,1,2,7\n", "g1"),
    /Too many entries: expected at most 3 \(value #3 \(1 chars\) "7"\)/,
  );
  // A file of newlines has no lines at all (String.split drops trailing empties): no plan.
  assert.deepEqual(readResetPlan("\n\n", "g1"), []);
  // A blank line in the middle fails as an empty document.
  assert.throws(() => readResetPlan("t1,0,3\n\nt1,1,2\n", "g1"), /No content to map/);
});
