import assert from "node:assert/strict";
import { getDateTime, minusDuration, parseDuration } from "./java_time.ts";
import { JavaError } from "./java_error.ts";

/**
 * What Kafka 2.8.2's Utils.getDateTime and Java 17's Duration.parse return (or throw) for each
 * input: recorded on this machine by a small Java program calling them, with
 * libs/kafka-clients-2.8.2.jar on the class path (`seconds nanos` for a duration; `! ` before an
 * exception's toString, ` | ` before its cause's).
 */
const RECORDED = `
d 2020-09-13T12:26:45.001|1600000005001
d 2020-09-13T12:26:45|! java.text.ParseException: Unparseable date: "2020-09-13T12:26:45Z"
d 2020-09-13|! java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format
d 1970-01-01T00:00:00.000|0
d 2020-1-2T3:4:5.6|1577934245006
d 2020-01-01T00:00:00.000+01:00|1577833200000
d 2020-01-01T00:00:00.000+0530|1577818800000
d 2020-01-01T00:00:00.000-05:30|1577856600000
d 2020-01-01T00:00:00.000+05:30garbage|1577817000000
d 2020-01-01T 00:00:00.000|1577836800000
d 2020-02-30T00:00:00.000|! java.text.ParseException: Unparseable date: "2020-02-30T00:00:00.000Z"
d 2020-04-31T00:00:00.000|! java.text.ParseException: Unparseable date: "2020-04-31T00:00:00.000Z"
d 2019-02-29T00:00:00.000|! java.text.ParseException: Unparseable date: "2019-02-29T00:00:00.000Z"
d 2020-02-29T00:00:00.000|1582934400000
d 2020-01-01T24:00:00.000|! java.text.ParseException: Unparseable date: "2020-01-01T24:00:00.000Z"
d 2020-01-01T00:60:00.000|! java.text.ParseException: Unparseable date: "2020-01-01T00:60:00.000Z"
d 2020-01-01T00:00:60.000|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:60.000Z"
d 2020-01-01T00:00:00.1000|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.1000Z"
d 2020-13-01T00:00:00.000|! java.text.ParseException: Unparseable date: "2020-13-01T00:00:00.000Z"
d 0000-01-01T00:00:00.000|! java.text.ParseException: Unparseable date: "0000-01-01T00:00:00.000Z"
d 0001-01-01T00:00:00.000|-62135769600000
d 1582-10-04T00:00:00.000|-12219379200000
d 1582-10-10T00:00:00.000|! java.text.ParseException: Unparseable date: "1582-10-10T00:00:00.000Z"
d 1582-10-15T00:00:00.000|-12219292800000
d 1000-02-29T00:00:00.000|-30604694400000
d 2020-01-01T00:00:00.000+15:00|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.000+15:00"
d 2020-01-01T00:00:00.000-13:00|1577883600000
d 2020-01-01T00:00:00.000-14:00|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.000-14:00"
d 2020-01-01T00:00:00.000Zjunk|1577836800000
d 2020-01-01T00:00:00.000z|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.000zZ"
d 2020-01-01t00:00:00.000|! java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format
d 2020-01-01T00:00:00.-5|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.-5"
d -2020-01-01T00:00:00.000|! java.text.ParseException: Unparseable date: "-2020-01-01T00:00:00.000Z"
d 2020-01-01T00:00:00.000+1|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.000+1"
d 2020-01-01TT00:00:00.000|! java.text.ParseException: Unparseable date: "2020-01-01TT00:00:00.000Z"
d 99999-01-01T00:00:00.000|3093496444800000
d T|! java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format
d 2020-01-01T|! java.text.ParseException: Error parsing timestamp. It does not contain a 'T' according to ISO8601 format
d 2020-01-01T00:00:00.000 |1577836800000
d  2020-01-01T00:00:00.000|1577836800000
d 2020-01-01T00:00:00.000+00:60|1577836800000
d 2020-01-01T00:00:00.000+24:00|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00.000+24:00"
d 2020-01-01T00:00:00,000|! java.text.ParseException: Unparseable date: "2020-01-01T00:00:00,000Z"
u P1D|86400 0
u 1D|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u PT0S|0 0
u P|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u PT|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u P1DT|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u -P1D|-86400 0
u -PT0.5S|-1 500000000
u PT-0.5S|-1 500000000
u PT1.5S|1 500000000
u pt1h|3600 0
u P1DT2H3M4.000000001S|93784 1
u PT1,5S|1 500000000
u P99999999999999999999D|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration: days | java.lang.NumberFormatException: Error at index 18 in: "99999999999999999999"
u P999999999999999D|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration: days | java.lang.ArithmeticException: long overflow
u PT9223372036854775807S|9223372036854775807 0
u P-1D|-86400 0
u +P1D|86400 0
u P1W|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u PT1.1234567891S|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u PT.5S|! java.time.format.DateTimeParseException: Text cannot be parsed to a Duration
u PT1.S|1 0
u P1DT-1H|82800 0
`;

function run(kind: string, text: string): string {
  try {
    if (kind === "d") return String(getDateTime(text));
    const d = parseDuration(text);
    return `${d.seconds} ${d.nanos}`;
  } catch (e) {
    if (!(e instanceof JavaError)) throw e;
    return `! ${e}${e.causeLine === undefined ? "" : ` | ${e.causeLine}`}`;
  }
}

Deno.test("--to-datetime and --by-duration read as Kafka 2.8.2 and Java read them", () => {
  const cases = RECORDED.trim().split("\n");
  assert.ok(cases.length > 60);
  for (const c of cases) {
    const [input, expected] = c.split("|", 2).length === 2
      ? [c.slice(0, c.indexOf("|")), c.slice(c.indexOf("|") + 1)]
      : [c, ""];
    assert.equal(run(input[0], input.slice(2)), expected, input);
  }
});

Deno.test("Instant.now().minus(d).toEpochMilli() floors sub-millisecond parts", () => {
  assert.equal(minusDuration(10_000, parseDuration("PT1S")), 9_000);
  assert.equal(minusDuration(10_000, parseDuration("PT0.0005S")), 9_999);
  assert.equal(minusDuration(10_000, parseDuration("-PT1.5S")), 11_500);
});
