package dev.regimen.core.train;

import dev.regimen.api.train.History;
import dev.regimen.api.train.TrainingOutcome;

/**
 * What {@link Trainer#fit} leaves behind; the API sees it as a {@link TrainingOutcome}.
 *
 * @param epochsRun epochs completed in this call plus those of a resumed checkpoint
 * @param stopReason why training ended early ({@code null} if it ran every epoch)
 * @param interrupted whether it stopped because {@link Trainer#interrupt()} was called
 */
public record TrainingResult(History history, int epochsRun, String stopReason, boolean interrupted)
    implements TrainingOutcome {}
