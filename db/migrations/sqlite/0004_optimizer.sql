CREATE TABLE `optimizer_runs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer,
	`class_id` integer,
	`trigger` text NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`requested_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`progress_done` integer DEFAULT 0 NOT NULL,
	`progress_total` integer DEFAULT 0 NOT NULL,
	`reviews_used` integer,
	`train_items` integer,
	`test_items` integer,
	`members_used` integer,
	`parameters` text,
	`baseline_parameters` text,
	`baseline_run_id` integer,
	`log_loss` real,
	`rmse_bins` real,
	`baseline_log_loss` real,
	`baseline_rmse_bins` real,
	`default_log_loss` real,
	`default_rmse_bins` real,
	`kept` integer DEFAULT false NOT NULL,
	`reason` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `optimizer_runs_user_idx` ON `optimizer_runs` (`user_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `optimizer_runs_class_idx` ON `optimizer_runs` (`class_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `optimizer_runs_status_idx` ON `optimizer_runs` (`status`);--> statement-breakpoint
ALTER TABLE `reviews` ADD `predicted_recall` real;--> statement-breakpoint
ALTER TABLE `users` ADD `fsrs_parameters` text;--> statement-breakpoint
ALTER TABLE `users` ADD `parameter_choice` text DEFAULT 'auto' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `parameter_run_id` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `parameter_reason` text;