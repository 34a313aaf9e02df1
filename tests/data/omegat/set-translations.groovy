// How the translator's segments of tests/data/omegat were entered: OmegaT's console has no
// editor pane, so this script (run by `omegat PROJECT --mode=console-translate --script=THIS`)
// does what the pane does when a translator leaves a segment — IProject.setTranslation — and
// saves the project memory as OmegaT saves it (ProjectTMX.save → omegat/project_save.tmx; the
// GUI-bound RealProject.saveProject cannot run in the console). A second console-translate run,
// without the script, writes target/. The segments: edits.json (EDITS names another file).
import org.omegat.core.Core
import org.omegat.core.data.PrepareTMXEntry
import groovy.json.JsonSlurper

def edits = new JsonSlurper().parse(new File(System.getenv("EDITS") ?: "edits.json"))
def project = Core.getProject()
def byFile = project.getAllEntries().groupBy { it.getKey().file }
edits.each { e ->
  def entry = byFile[e.file].find { it.getSrcText().contains(e.contains) }
  def tmx = new PrepareTMXEntry()
  tmx.source = entry.getSrcText()
  tmx.translation = e.tr
  tmx.note = e.note
  project.setTranslation(entry, tmx, true, null)
}
def field = project.getClass().getDeclaredField("projectTMX")
field.setAccessible(true)
def properties = project.getProjectProperties()
field.get(project).save(properties, properties.getProjectInternal() + "project_save.tmx", true)
