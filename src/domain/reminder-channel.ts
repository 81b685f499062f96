/** Where a deadline reminder was delivered. */
export enum ReminderChannel {
  GROUP_WEBHOOK = 'GROUP_WEBHOOK',
  SMART_ROBOT = 'SMART_ROBOT',
  APP_MESSAGE = 'APP_MESSAGE',
}
