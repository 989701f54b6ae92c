//! Futures over JS promises, in ~100 lines instead of wasm-bindgen-futures' executor (which
//! brings a task queue, JSPI support and RefCell panics: ~5 KB of the shipped wasm).
//!
//! What the client needs is narrow: run one `async` call to completion as a JS `Promise`
//! (`promise`), and await a JS promise inside it (`wait`). Each call is its own task, polled
//! when something it awaits settles. JS promise callbacks always run from the microtask queue,
//! never inside a poll, but a wake during a poll is handled anyway (polled again after).
//! Single-threaded wasm32: `Rc` in the waker is sound here, as it is in wasm-bindgen-futures.

#[allow(unused_imports)]
use crate::prelude::*;

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::cell::Cell;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::pin::Pin;
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use js_sys::{Function, Promise};
use wasm_bindgen::prelude::*;

type Boxed = Pin<Box<dyn Future<Output = ()>>>;

struct Task {
    /// The future, taken out while it is being polled and dropped once it is done.
    future: Cell<Option<Boxed>>,
    polling: Cell<bool>,
    woken: Cell<bool>,
}

fn poll(task: &Rc<Task>) {
    if task.polling.get() {
        task.woken.set(true);
        return;
    }
    task.polling.set(true);
    loop {
        task.woken.set(false);
        let Some(mut future) = task.future.take() else { break };
        let waker = ManuallyDrop::new(unsafe { Waker::from_raw(raw(Rc::as_ptr(task))) });
        if future.as_mut().poll(&mut Context::from_waker(&waker)).is_pending() {
            task.future.set(Some(future));
        }
        if !task.woken.get() {
            break;
        }
    }
    task.polling.set(false);
}

// The waker is an `Rc<Task>` behind a raw pointer: clone and drop count references, wake polls.
static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

fn raw(task: *const Task) -> RawWaker {
    RawWaker::new(task as *const (), &VTABLE)
}
unsafe fn clone(p: *const ()) -> RawWaker {
    Rc::increment_strong_count(p as *const Task);
    raw(p as *const Task)
}
unsafe fn wake(p: *const ()) {
    poll(&Rc::from_raw(p as *const Task));
}
unsafe fn wake_by_ref(p: *const ()) {
    poll(&ManuallyDrop::new(Rc::from_raw(p as *const Task)));
}
unsafe fn drop_waker(p: *const ()) {
    drop(Rc::from_raw(p as *const Task));
}

/// Runs `f` as a task; the returned promise settles with its result.
pub fn promise<F: Future<Output = Result<JsValue, JsValue>> + 'static>(f: F) -> Promise {
    let mut f = Some(f);
    Promise::new(&mut |resolve: Function, reject: Function| {
        if let Some(f) = f.take() {
            let task = Rc::new(Task {
                future: Cell::new(Some(Box::pin(async move {
                    let _ = match f.await {
                        Ok(v) => resolve.call1(&JsValue::UNDEFINED, &v),
                        Err(e) => reject.call1(&JsValue::UNDEFINED, &e),
                    };
                }))),
                polling: Cell::new(false),
                woken: Cell::new(false),
            });
            poll(&task);
        }
    })
}

type Callback = Closure<dyn FnMut(JsValue)>;

struct Slot {
    result: Cell<Option<Result<JsValue, JsValue>>>,
    waker: Cell<Option<Waker>>,
    /// The two callbacks given to `then`: kept alive until the promise settles (even if the
    /// awaiting future is dropped first, so a late settlement never calls a freed closure),
    /// then dropped by whichever runs.
    callbacks: Cell<Option<(Callback, Callback)>>,
}

/// A JS promise as a future: `Ok` with its value, `Err` with its rejection.
pub struct Wait(Rc<Slot>);

pub fn wait(p: &Promise) -> Wait {
    let slot = Rc::new(Slot { result: Cell::new(None), waker: Cell::new(None), callbacks: Cell::new(None) });
    let settle = |ok: bool| {
        let slot = slot.clone();
        Closure::new(move |v: JsValue| {
            slot.result.set(Some(if ok { Ok(v) } else { Err(v) }));
            drop(slot.callbacks.take());
            if let Some(w) = slot.waker.take() {
                w.wake();
            }
        })
    };
    let (resolve, reject) = (settle(true), settle(false));
    let _ = p.then2(&resolve, &reject);
    slot.callbacks.set(Some((resolve, reject)));
    Wait(slot)
}

impl Future for Wait {
    type Output = Result<JsValue, JsValue>;
    fn poll(self: Pin<&mut Self>, cx: &mut Context) -> Poll<Self::Output> {
        match self.0.result.take() {
            Some(r) => Poll::Ready(r),
            None => {
                self.0.waker.set(Some(cx.waker().clone()));
                Poll::Pending
            }
        }
    }
}
