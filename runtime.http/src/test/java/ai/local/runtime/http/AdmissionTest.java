package ai.local.runtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import ai.local.runtime.api.ApiException;

class AdmissionTest {

	private static Admission.Limits limits(int concurrent, int perProvider) {
		return new Admission.Limits(concurrent, 0, perProvider, 0, Duration.ofMillis(50));
	}

	@Test
	void aSaveWhileRequestsRunKeepsTheirCount() {
		Admission a = new Admission(limits(2, 2), new AtomicInteger());
		Admission.Slot one = a.enter("p");
		Admission.Slot two = a.enter("p");
		a.configure(limits(2, 2)); // conf/runtime.http.cfg saved again, unchanged
		ApiException e = assertThrows(ApiException.class, () -> a.enter("p"));
		assertEquals(429, e.status());
		a.configure(limits(3, 3));
		Admission.Slot three = a.enter("p");
		assertEquals(3, a.running());
		one.close();
		two.close();
		three.close();
		assertEquals(0, a.running());
	}

	@Test
	void oneProviderCannotTakeEverySlot() {
		Admission a = new Admission(new Admission.Limits(4, 10, 3, 2, Duration.ofMillis(50)), new AtomicInteger());
		List<Admission.Slot> hung = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			hung.add(a.enter("hung"));
		}
		assertEquals(429, assertThrows(ApiException.class, () -> a.enter("hung")).status());
		Admission.Slot other = a.enter("llama_cpp"); // the bulkhead kept a slot for it
		other.close();
		hung.forEach(Admission.Slot::close);
	}

	@Test
	void aWaiterGetsTheSlotThatFrees() throws Exception {
		AtomicInteger queued = new AtomicInteger();
		Admission a = new Admission(new Admission.Limits(1, 5, 1, 5, Duration.ofSeconds(5)), queued);
		Admission.Slot first = a.enter("p");
		Thread t = new Thread(() -> a.enter("p").close());
		t.start();
		while (queued.get() == 0) {
			Thread.sleep(5);
		}
		first.close();
		t.join(5000);
		assertTrue(!t.isAlive());
		assertEquals(0, a.running());
		assertEquals(0, queued.get());
	}
}
