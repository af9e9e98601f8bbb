import { LightningElement, api } from 'lwc';

// Minimal stand-in for lightning-formatted-date-time, using the browser's Intl.DateTimeFormat.
export default class FormattedDateTime extends LightningElement {
  @api value;
  @api year;
  @api month;
  @api day;
  @api hour;
  @api minute;
  @api second;
  @api weekday;
  @api timeZone;

  get formatted() {
    if (this.value === undefined || this.value === null || this.value === '') return '';
    const date = new Date(this.value);
    if (Number.isNaN(date.getTime())) return '';
    const options = {};
    ['year', 'month', 'day', 'hour', 'minute', 'second', 'weekday', 'timeZone'].forEach((key) => {
      if (this[key]) options[key] = this[key];
    });
    if (Object.keys(options).length === 0) {
      options.year = 'numeric';
      options.month = 'numeric';
      options.day = 'numeric';
    }
    return new Intl.DateTimeFormat(undefined, options).format(date);
  }
}
