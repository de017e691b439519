// The warm-up and cosine schedule at its corners and midpoints.
package io.synod.solvers.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    // peak 1e-3, floor 1e-4, 10 warm-up steps, 110 in all: the decay spans steps 10 to 110
    final LearningRateSchedule schedule = new LearningRateSchedule(1e-3, 1e-4, 10, 110);

    @Test
    void warmUpRisesLinearlyFromPeakOverWarmupStepsToThePeak() {
        assertThat(schedule.at(0)).isCloseTo(1e-4, within(1e-12));   // start: peak / 10
        assertThat(schedule.at(4)).isCloseTo(5e-4, within(1e-12));   // middle
        assertThat(schedule.at(9)).isCloseTo(1e-3, within(1e-12));   // end: the peak
    }

    @Test
    void cosineDecayRunsFromThePeakThroughTheMidpointToTheFloor() {
        assertThat(schedule.at(10)).isCloseTo(1e-3, within(1e-12));              // decay starts at the peak
        assertThat(schedule.at(60)).isCloseTo((1e-3 + 1e-4) / 2, within(1e-12)); // halfway: the mean
        assertThat(schedule.at(109)).isGreaterThan(1e-4).isLessThan(1.01e-4);    // last step: just above the floor
        assertThat(schedule.at(110)).isEqualTo(1e-4);                            // the end: the floor
        assertThat(schedule.at(500)).isEqualTo(1e-4);
    }

    @Test
    void withoutWarmUpTheFirstStepUsesThePeak() {
        assertThat(new LearningRateSchedule(2e-3, 0, 0, 100).at(0)).isEqualTo(2e-3);
    }

    @Test
    void aFloorAboveThePeakIsRefused() {
        assertThatThrownBy(() -> new LearningRateSchedule(1e-3, 2e-3, 0, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minimum");
    }
}
