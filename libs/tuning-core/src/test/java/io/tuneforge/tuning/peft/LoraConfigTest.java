package io.tuneforge.tuning.peft;

import io.tuneforge.contracts.training.LoraSettings;
import io.tuneforge.tuning.model.Projection;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LoRA settings: defaults from the training request, scaling, validation messages, PEFT key names. */
class LoraConfigTest {

    @Test
    void requestSettingsFillDefaults() {
        LoraConfig c = LoraConfig.from(new LoraSettings(8, null, null, List.of("q_proj", "v_proj"), null));
        assertEquals(new LoraConfig(8, 32, 0.05, List.of("q_proj", "v_proj"), false), c);
        assertEquals(LoraConfig.from(LoraSettings.defaults()), LoraConfig.from(null));
        assertEquals(16, LoraConfig.defaults().r());
        assertEquals(List.of(Projection.values()), LoraConfig.defaults().projections());
        assertEquals(c, LoraConfig.from(c.toSettings()));
    }

    @Test
    void scalingIsAlphaOverROrOverSqrtRWithRsLora() {
        assertEquals(2.0, new LoraConfig(16, 32, 0, List.of("q_proj"), false).scaling());
        assertEquals(8.0, new LoraConfig(16, 32, 0, List.of("q_proj"), true).scaling());
        assertEquals(32 / Math.sqrt(10), new LoraConfig(10, 32, 0, List.of("q_proj"), true).scaling(), 1e-15);
    }

    @Test
    void targetsFollowProjectionOrder() {
        LoraConfig c = new LoraConfig(4, 8, 0, List.of("down_proj", "q_proj"), false);
        assertEquals(List.of(Projection.Q_PROJ, Projection.DOWN_PROJ), c.projections());
        assertTrue(c.targets(Projection.DOWN_PROJ));
        assertFalse(c.targets(Projection.K_PROJ));
    }

    @Test
    void invalidValuesAreNamedWithWhatWouldBeRight() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LoraConfig(0, -1, 1.0, List.of("q_proj", "c_attn", "q_proj"), false));
        String m = e.getMessage();
        assertTrue(m.contains("r = 0 must be >= 1"), m);
        assertTrue(m.contains("alpha = -1.0 must be a finite number > 0"), m);
        assertTrue(m.contains("dropout = 1.0 must be in [0, 1)"), m);
        assertTrue(m.contains("'c_attn', which is not a projection"), m);
        assertTrue(m.contains("names 'q_proj' twice"), m);
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, Double.NaN, 0, List.of("q_proj"), false));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(4, 8, 0, List.of(), false));
    }

    @Test
    void peftNamesParseBothSavedAndInMemoryKeys() {
        String module = "model.layers.12.mlp.gate_proj";
        assertEquals("base_model.model.model.layers.12.mlp.gate_proj.lora_A.weight", PeftNames.loraA(module));
        assertEquals(new PeftNames.Key(module, PeftNames.Part.B), PeftNames.parse(PeftNames.loraB(module)));
        assertEquals(new PeftNames.Key(module, PeftNames.Part.A),
                PeftNames.parse("base_model.model.model.layers.12.mlp.gate_proj.lora_A.default.weight"));
        assertEquals(null, PeftNames.parse("base_model.model.lm_head.weight"));
        assertEquals(null, PeftNames.parse("base_model.model.model.layers.0.self_attn.q_proj.lora_A.other.weight"));
    }
}
