"""行政复议 and 行政诉讼 about disclosure work (条例第五十一条; annual report table 四)."""
