CREATE TABLE `variant_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` text NOT NULL,
	`seed` integer NOT NULL,
	`source` text NOT NULL,
	`engine_ok` integer NOT NULL,
	`tfjs_ok` integer,
	`detail` text,
	`user_id` integer,
	`checked_at` integer NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `variant_checks_item_idx` ON `variant_checks` (`item_id`,`seed`);--> statement-breakpoint
ALTER TABLE `quiz_answers` ADD `regions` text;--> statement-breakpoint
ALTER TABLE `reviews` ADD `regions` text;