package dev.meshgate.bench.report;

import dev.meshgate.bench.load.WrkResult;

import java.util.List;
import java.util.Map;

/**
 * Everything measured at one body size: saturation throughput with CPU per request, the reference
 * nginx's throughput bracketing it ({@code nginxAlongside}, null when the run had no reference or a
 * reference window failed), and each rate.
 */
public record SizeFigures(int bodyBytes, WrkResult saturation, NginxAlongside nginxAlongside,
                          Map<String, Double> saturationCpuMicrosPerRequest, List<RateFigures> rates) {

    public RateFigures atRate(int rate) {
        return rates.stream().filter(figures -> figures.load().targetRate() == rate).findFirst().orElse(null);
    }
}
