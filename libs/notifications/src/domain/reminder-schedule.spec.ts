import { parseReminderSchedule, reminderIdOf } from './reminder-schedule';

const S = 1_000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('parseReminderSchedule', () => {
  it('turns "24h,48h,7d" into milliseconds', () => {
    expect(parseReminderSchedule('24h,48h,7d')).toEqual([24 * H, 48 * H, 7 * D]);
  });

  it('knows seconds, minutes, hours and days, decimals, spaces and upper case', () => {
    expect(parseReminderSchedule('30s, 15m ,1.5h,2 D')).toEqual([30 * S, 15 * M, 1.5 * H, 2 * D]);
  });

  it('means no reminders for "off" (any case) and for an empty or blank value', () => {
    expect(parseReminderSchedule('off')).toEqual([]);
    expect(parseReminderSchedule(' OFF ')).toEqual([]);
    expect(parseReminderSchedule('')).toEqual([]);
    expect(parseReminderSchedule('   ')).toEqual([]);
  });

  it.each(['24x', '24', 'h', '1w', '24h,,48h', '-1h', '24h;48h'])('refuses %j, naming the bad part and the expected form', (spec) => {
    expect(() => parseReminderSchedule(spec)).toThrow(/is not a duration: expected a number and s, m, h or d, for example 24h/);
  });

  it('quotes the part it does not understand', () => {
    expect(() => parseReminderSchedule('24h, 2 weeks')).toThrow('"2 weeks" is not a duration');
  });

  it.each(['48h,24h', '24h,24h', '1d,24h', '24h,48h,2d'])('refuses offsets that do not increase: %j', (spec) => {
    expect(() => parseReminderSchedule(spec)).toThrow('reminder offsets must increase, for example 24h,48h,7d');
  });
});

describe('reminderIdOf', () => {
  it('is one id per seat', () => {
    expect(reminderIdOf('c-1', 'p-1')).toBe('c-1:p-1');
    expect(reminderIdOf('c-1', 'p-1')).not.toBe(reminderIdOf('c-1', 'p-2'));
  });
});
