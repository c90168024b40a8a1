package dev.meshgate.bench.report;

import java.util.List;
import java.util.Map;

/** A whole run: how it was done, on what, every contender's figures, and the previous run it is compared against. */
public record RunFigures(String mode, String startedAt, double totalSeconds, Map<String, String> machine,
                         Map<String, String> method, double loadAverageBefore, double loadAverageAfter,
                         double warmUpSeconds, double saturationSeconds, double rateSeconds,
                         List<Integer> bodySizes, List<Integer> rates, List<ContenderFigures> contenders,
                         List<StartupFigures> startup, List<String> notes, Baseline baseline) {

    public ContenderFigures contender(String id) {
        return contenders.stream().filter(contender -> contender.id().equals(id)).findFirst().orElse(null);
    }
}
