CREATE TABLE `card_actions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`card_id` integer NOT NULL,
	`batch` text NOT NULL,
	`action` text NOT NULL,
	`before` text NOT NULL,
	`at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`card_id`) REFERENCES `cards`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `card_actions_user_at_idx` ON `card_actions` (`user_id`,`at`);--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`user_id` integer NOT NULL,
	`bank_id` text NOT NULL,
	`state` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `bank_id`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`bank_id`) REFERENCES `banks`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `cards` ADD `buried_until` integer;--> statement-breakpoint
ALTER TABLE `cards` ADD `promoted_at` integer;--> statement-breakpoint
ALTER TABLE `cards` ADD `promoted_by` text;--> statement-breakpoint
ALTER TABLE `cards` ADD `promoted_quiz` integer;--> statement-breakpoint
ALTER TABLE `class_banks` ADD `starts_on` text;--> statement-breakpoint
ALTER TABLE `class_banks` ADD `learn_by` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `origin` text DEFAULT 'queue' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `learning_steps` text DEFAULT '1m 10m' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `relearning_steps` text DEFAULT '10m' NOT NULL;