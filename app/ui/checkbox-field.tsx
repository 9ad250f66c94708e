import type { ReactNode } from "react";
import { Checkbox } from "~/ui/field";

/**
 * A setting switched on or off: a checkbox bound to a Conform field ("on" when ticked), its
 * label in bold and a help line under it that the box names as its description.
 */
export function CheckboxField({ meta, label, help, defaultChecked }: { meta: { id: string; name: string; descriptionId: string }; label: ReactNode; help: ReactNode; defaultChecked: boolean }) {
  return (
    <div>
      <Checkbox id={meta.id} name={meta.name} value="on" defaultChecked={defaultChecked} aria-describedby={meta.descriptionId} label={<span className="font-medium">{label}</span>} />
      <p id={meta.descriptionId} className="ml-7 text-sm text-gray-700">
        {help}
      </p>
    </div>
  );
}
