/** The job runner's public surface: start/stop with the app, schedule from services. */
export { startJobs, JobRunner, JOB_SCHEMA, type JobRunnerOptions } from './job-runner';
export { scheduleJob, type ScheduleOptions } from './scheduler';
export { JOB_DEFINITIONS, type JobName } from './registry';
export { defineJob, type JobDefinition, type JobContext } from './job-definition';
