"""Project performance sheets (绩效自评表, 绩效目标表, 绩效目标批复表)."""
