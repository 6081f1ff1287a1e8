ALTER TABLE `trading_controls` ADD `paused_at` integer;--> statement-breakpoint
ALTER TABLE `trading_controls` ADD `resume_at` integer;