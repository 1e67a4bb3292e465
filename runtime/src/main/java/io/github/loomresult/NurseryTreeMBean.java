package io.github.loomresult;

import java.lang.management.ManagementFactory;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.ReflectionException;

/**
 * The JMX face of {@link NurseryTree}: attribute {@code Enabled}, operations {@code dump}, {@code
 * enable} and {@code disable}. A dynamic MBean, so that it adds no public type. Loaded only once
 * {@code java.management} is known to be present.
 */
final class NurseryTreeMBean implements DynamicMBean {
  private static final MBeanInfo INFO =
      new MBeanInfo(
          NurseryTreeMBean.class.getName(),
          "The live tree of loomresult nurseries and their unfinished tasks",
          new MBeanAttributeInfo[] {
            new MBeanAttributeInfo(
                "Enabled", "boolean", "Whether nurseries are registered", true, false, true)
          },
          null,
          new MBeanOperationInfo[] {
            new MBeanOperationInfo(
                "dump",
                "Every open registered nursery, its tasks, their threads and stacks",
                null,
                "java.lang.String",
                MBeanOperationInfo.INFO),
            new MBeanOperationInfo(
                "enable",
                "Registers every nursery opened from now on",
                null,
                "void",
                MBeanOperationInfo.ACTION),
            new MBeanOperationInfo(
                "disable", "Stops registering nurseries", null, "void", MBeanOperationInfo.ACTION)
          },
          null);

  private NurseryTreeMBean() {}

  static void register() {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      ObjectName name = new ObjectName(NurseryTree.MBEAN_NAME);
      if (!server.isRegistered(name)) {
        server.registerMBean(new NurseryTreeMBean(), name);
      }
    } catch (InstanceAlreadyExistsException e) {
      // Registered by a concurrent call: that is what was asked for.
    } catch (JMException e) {
      throw new IllegalStateException("could not register " + NurseryTree.MBEAN_NAME, e);
    }
  }

  @Override
  public Object getAttribute(String attribute) throws AttributeNotFoundException {
    if ("Enabled".equals(attribute)) {
      return NurseryTree.isEnabled();
    }
    throw new AttributeNotFoundException(
        "no attribute " + attribute + " in " + INFO.getClassName());
  }

  @Override
  public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
    throw new AttributeNotFoundException(
        "attribute " + attribute.getName() + " is read-only: use the enable or disable operation");
  }

  @Override
  public AttributeList getAttributes(String[] attributes) {
    AttributeList list = new AttributeList();
    for (String a : attributes) {
      if ("Enabled".equals(a)) {
        list.add(new Attribute(a, NurseryTree.isEnabled()));
      }
    }
    return list;
  }

  @Override
  public AttributeList setAttributes(AttributeList attributes) {
    return new AttributeList();
  }

  @Override
  public Object invoke(String actionName, Object[] params, String[] signature)
      throws ReflectionException {
    switch (actionName) {
      case "dump":
        return NurseryTree.dump().toString();
      case "enable":
        NurseryTree.enable();
        return null;
      case "disable":
        NurseryTree.disable();
        return null;
      default:
        throw new ReflectionException(
            new NoSuchMethodException(actionName),
            "no operation " + actionName + " in " + NurseryTree.MBEAN_NAME);
    }
  }

  @Override
  public MBeanInfo getMBeanInfo() {
    return INFO;
  }
}
