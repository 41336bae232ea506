CREATE TABLE `exams` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`owner_id` integer NOT NULL,
	`class_id` integer,
	`title` text NOT NULL,
	`at` integer NOT NULL,
	`time_zone` text NOT NULL,
	`target` real DEFAULT 0.9 NOT NULL,
	`scope` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `exams_owner_idx` ON `exams` (`owner_id`,`at`);--> statement-breakpoint
CREATE INDEX `exams_class_idx` ON `exams` (`class_id`,`at`);--> statement-breakpoint
CREATE TABLE `quiz_accommodations` (
	`assignment_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`extra_time_percent` integer DEFAULT 0 NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`extra_attempts` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`assignment_id`, `user_id`),
	FOREIGN KEY (`assignment_id`) REFERENCES `quiz_assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `quiz_assignments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`class_id` integer NOT NULL,
	`created_by` integer NOT NULL,
	`title` text NOT NULL,
	`scope` text NOT NULL,
	`question_count` integer NOT NULL,
	`time_limit_minutes` real,
	`opens_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`attempts_allowed` integer DEFAULT 1 NOT NULL,
	`mode` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_assignments_class_idx` ON `quiz_assignments` (`class_id`,`opens_at`);--> statement-breakpoint
CREATE TABLE `quiz_regrades` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assignment_id` integer NOT NULL,
	`item_id` text NOT NULL,
	`action` text NOT NULL,
	`reason` text NOT NULL,
	`changed` integer NOT NULL,
	`by` integer NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`assignment_id`) REFERENCES `quiz_assignments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `quiz_regrades_assignment_idx` ON `quiz_regrades` (`assignment_id`,`at`);--> statement-breakpoint
ALTER TABLE `cards` ADD `planned_for_exam` integer;--> statement-breakpoint
ALTER TABLE `quiz_answers` ADD `regraded_correct` integer;--> statement-breakpoint
ALTER TABLE `quiz_answers` ADD `dropped` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `quiz_attempts` ADD `assignment_id` integer REFERENCES quiz_assignments(id);--> statement-breakpoint
CREATE INDEX `quiz_attempts_assignment_idx` ON `quiz_attempts` (`assignment_id`,`user_id`);